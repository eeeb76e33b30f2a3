PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_info (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR(255) NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO schema_info VALUES('schema_version','1');
CREATE TABLE login_failures (
	scope VARCHAR(16) NOT NULL, 
	subject VARCHAR(255) NOT NULL, 
	failures INTEGER NOT NULL, 
	last_failed_at DATETIME NOT NULL, 
	locked_until DATETIME, 
	PRIMARY KEY (scope, subject)
);
CREATE TABLE revoked_sessions (
	session_id VARCHAR(64) NOT NULL, 
	username VARCHAR(255) NOT NULL, 
	revoked_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (session_id)
);
CREATE TABLE rule_drafts (
	username VARCHAR(255) NOT NULL, 
	content TEXT NOT NULL, 
	base_version INTEGER, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (username)
);
CREATE TABLE articles (
	id VARCHAR(32) NOT NULL, 
	source TEXT NOT NULL, 
	title TEXT NOT NULL, 
	body TEXT NOT NULL, 
	policy_text TEXT, 
	url TEXT, 
	published_at VARCHAR(40), 
	content_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO articles VALUES('25db9147e8023e36','sample_data/000_6c11dab985d08017.txt','Turkey ‘Could Back Azerbaijan’ In Karabakh War',replace('Bulent Aras\n\nANKARA (RFE/RL)—Turkey could provide military assistance to Azerbaijan in case of a new war over Nagorno-Karabakh, a Turkish official reportedly said on Monday.\n\n“Turkey doesn’t want a military conflict in the region. But if a war breaks out in connection with the resolution of the Nagorno-Karabakh conflict, provision of military assistance by Turkey to Azerbaijan should not be excluded,” Bulent Aras, head of a Turkish Foreign Ministry think-tank, was quoted by the Trend news agency as telling journalists in Baku.\n\nAras did not specify what concrete forms Turkish military aid to Baku might take.\n\nAn agreement signed by the Turkish and Azerbaijani presidents last August commits the two allied nations to using “all available possibilities” to help one another in the event of aggression by third states. It also calls for closer cooperation between their armed forces and defense industries.\n\nThe deal was signed in Baku just days before Armenia and Russia agreed to further deepen their militaries ties.','\n',char(10)),'Comments are welcomed and encouraged. Though you are fully responsible for the content you post, comments that include profanity, personal attacks or other inappropriate material will not be permitted. Asbarez reserves the right to block users who violate any of our posting standards and policies.',NULL,NULL,'b8777354de4ef79d4706425d750175bc5061a1ac912d097a2afb433fe6d943f2','2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO articles VALUES('c901acfd7c6939fd','sample_data/001_275e580f59082c74.txt','Turkey will send military support to Nagorno-Karabakh if Azerbaijan requests it: foreign minister',replace('Ankara has denied accusations it is already involved in the conflict between Azerbaijan and Armenia but has said it will send military support if Baku requests it.\n3 min read\n30 September, 2020\nTurkey and Azerbaijan have close cultural and linguistic ties [Getty]\nTurkey will support Azerbaijan in the reignited conflict with Armenia if Baku requests aid, Foreign Minister Mevlut Cavusoglu said on Wednesday.\n\nAnkara will do "what is necessary" if Azerbaijan requests support amid the flare-up in violence between Turkish ally Azerbaijan and rival Armenia this week, Cavusoglu was quoted as saying by Reuters.\n\nTurkey has rejected allegations it has already gotten involved in the Nagorno-Karabakh conflict as the neighbouring rivals renew fighting over a disputed parcel of land.\n\nInternational media outlets including Reuters and The Guardian have reported that hundreds of Turkish-backed Syrian fighters have been flown out to Azerbaijan to aid in the conflict. Ankara has fiercely denied the reports, which mirror its shipping of Syrian mercenaries to fight in Libya.\n\nSeperately, Armenia has accused the Turkish military of shooting down one of its jets, resulting in the death of a pilot. Both Azerbaijan and Turkey have denied the allegation.\n\nIf Turkey granted military support to Azerbaijan, the Nagorno-Karabakh conflict would become the fourth military conflict in which Ankara is currently involved. Turkish forces are currently deployed in Syria and Libya, as well as in operation against Kurdish rebels in Turkey and Iraq.\n\nFighting between Azerbaijani and Armenian forces entered its fourth day on Wednesday, nearly two decades after the Nagorno-Karabakh dispute first erupted into a full-scale war.\n\nThe conflict began after ethnic Armenian residents of the then-autonomous Nagorno-Karabakh oblast demanded it become a part of what was then Soviet Armenia. Around 90 percent of the mountainous region''s population is estimated to be ethnic Armenian.\n\nSince 1988, the de-facto independent Republic of Artsakh has governed Nagorno-Karabakh and surrounding areas; the region is internationally considered part of Azerbaijan.\n\nBoth ethnic Armenian fighters and Azerbaijani forces have been accused of rights abuses and war crimes, including incidents of alleged ethnic cleansing.\n\nClashes broke out on Sunday, with more than 80 fighters confirmed dead by the Armenian-led Artsakh defence ministry. Azerbaijan has reported at least 11 civilians killed, without mentioning military casualties.\n\nClear details and casualty counts are hard to ascertain amid the current fighting, with both sides refuting accounts and accusations by the other.\n\nReports also indicate as many as 25 Syrian mercenaries have been killed since Sunday, with at least two reported dead by Syrian journalist Hussein Akoush.\n\nThe Turkish foreign minister said on Wednesday Ankara would "stand by" Azerbaijan no matter what.\n\n"Diplomacy hasn''t worked for the past 30 years," Cavusoglu told state news agency Anadolu.\n\n"If Armenia hadn''t enjoyed support today from other countries, from the West, Russia, it wouldn''t be able to muster up this courage," he added, condemning the international community for not calling on Armenian forces to stop their "occupation" of Azerbaijan.\n\nIn particular, Cavusoglu singled out France, saying that its solidarity with Armenia was tantamount the support of occupation.\n\nFrance, alongside Russia, Germany and the United States, has called for an immediate ceasefire to hostilities in the region. Both sides have rejected calls for negotiations.\n\nTurkey is a key ally of Azerbaijan due to the country''s close cultural and linguistic ties but has no diplomatic relations with Armenia.\n\nAnkara rejects Yerevan''s characterisation of the mass killings of Armenians under the Ottoman Empire as a genocide.','\n',char(10)),NULL,NULL,NULL,'857d1b70c947c491d604c61a30ea65104406ed3647a63be544da00fbf54165ac','2026-12-03 06:59:29.675329','2026-12-03 06:59:29.675329');
CREATE TABLE authors (
	id INTEGER NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	status VARCHAR(16) DEFAULT 'active' NOT NULL, 
	suspended_until DATETIME, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
INSERT INTO authors VALUES(1,'.......','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(2,'Alex Postallian','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(3,'Aram','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(4,'Armanen','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(5,'Armenian','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(6,'Avery','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(7,'Danoog','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(8,'Ed','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(9,'Fred','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(10,'George Apelian','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(11,'HartRay','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(12,'Lusik','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(13,'Mihran','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(14,'Sanan','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(15,'Seervart','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(16,'Vacheh','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(17,'Vahan Vanagan','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(18,'art hagopian','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(19,'arziv','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(20,'craig markarian','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(21,'facts','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(22,'gary','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(23,'immortal Souls of western Armenia risen','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(24,'manooshag','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(25,'nana','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(26,'yavuz','active',NULL,'2026-12-03 06:59:29.658916');
INSERT INTO authors VALUES(27,'zohrab','active',NULL,'2026-12-03 06:59:29.658916');
CREATE TABLE scores (
	text_hash VARCHAR(64) NOT NULL, 
	model_id VARCHAR(128) NOT NULL, 
	label VARCHAR(64) NOT NULL, 
	value FLOAT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (text_hash, model_id, label)
);
INSERT INTO scores VALUES('06692eb087855110cb280c64f07fa9b72633cb300b4fb42e9cdddea24f38f327','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.026609228673360914296,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('06692eb087855110cb280c64f07fa9b72633cb300b4fb42e9cdddea24f38f327','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('06692eb087855110cb280c64f07fa9b72633cb300b4fb42e9cdddea24f38f327','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0032442006977792892455,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('06692eb087855110cb280c64f07fa9b72633cb300b4fb42e9cdddea24f38f327','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.005311436350602390978,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('06692eb087855110cb280c64f07fa9b72633cb300b4fb42e9cdddea24f38f327','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0056472900144772424438,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('06692eb087855110cb280c64f07fa9b72633cb300b4fb42e9cdddea24f38f327','threadwatch-minilm-heads-cabc2f2fed50','threat',0.001722224352330109379,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('1a667cce9599db2a865650f8daa276632c00cf8de3416f4bad9529d902129677','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.15552425790401097627,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('1a667cce9599db2a865650f8daa276632c00cf8de3416f4bad9529d902129677','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.0028525057194674074967,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('1a667cce9599db2a865650f8daa276632c00cf8de3416f4bad9529d902129677','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.029072984685649706781,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('1a667cce9599db2a865650f8daa276632c00cf8de3416f4bad9529d902129677','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.020895303704250509091,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('1a667cce9599db2a865650f8daa276632c00cf8de3416f4bad9529d902129677','threadwatch-minilm-heads-cabc2f2fed50','insult',0.14496430937831591978,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('1a667cce9599db2a865650f8daa276632c00cf8de3416f4bad9529d902129677','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0023431105814890572369,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('1f43403189c10302a6c4f5e6b3b500378498b1932b144065723297739e5f6f77','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.013775359617962633362,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('1f43403189c10302a6c4f5e6b3b500378498b1932b144065723297739e5f6f77','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00035048560829633852806,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('1f43403189c10302a6c4f5e6b3b500378498b1932b144065723297739e5f6f77','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0015159878361916789401,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('1f43403189c10302a6c4f5e6b3b500378498b1932b144065723297739e5f6f77','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.068289040360691527498,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('1f43403189c10302a6c4f5e6b3b500378498b1932b144065723297739e5f6f77','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0036049323154593326291,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('1f43403189c10302a6c4f5e6b3b500378498b1932b144065723297739e5f6f77','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0006378758330370472079,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('2185446e8764044bfa3b2715bd35c1c383d2382bf776e663338d041945acad42','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.01490180383834595508,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('2185446e8764044bfa3b2715bd35c1c383d2382bf776e663338d041945acad42','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('2185446e8764044bfa3b2715bd35c1c383d2382bf776e663338d041945acad42','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0032977778442825574946,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('2185446e8764044bfa3b2715bd35c1c383d2382bf776e663338d041945acad42','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.0056316318037829653231,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('2185446e8764044bfa3b2715bd35c1c383d2382bf776e663338d041945acad42','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0066798345496742878024,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('2185446e8764044bfa3b2715bd35c1c383d2382bf776e663338d041945acad42','threadwatch-minilm-heads-cabc2f2fed50','threat',0.001463659643395178898,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('3682cd0800b65ae66b3214c7698866fd0077bd54f05c5775b3d5c31d36c328d1','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.052912443689310112437,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('3682cd0800b65ae66b3214c7698866fd0077bd54f05c5775b3d5c31d36c328d1','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('3682cd0800b65ae66b3214c7698866fd0077bd54f05c5775b3d5c31d36c328d1','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0027167322708987551652,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('3682cd0800b65ae66b3214c7698866fd0077bd54f05c5775b3d5c31d36c328d1','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.011066331277042502218,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('3682cd0800b65ae66b3214c7698866fd0077bd54f05c5775b3d5c31d36c328d1','threadwatch-minilm-heads-cabc2f2fed50','insult',0.010516688490432808678,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('3682cd0800b65ae66b3214c7698866fd0077bd54f05c5775b3d5c31d36c328d1','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0021922716101118399321,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('37d6c8e54c62764321f0f9a6e6e822093dcce7210757f216e05b5948a8fc620a','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.032336682238689018475,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('37d6c8e54c62764321f0f9a6e6e822093dcce7210757f216e05b5948a8fc620a','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('37d6c8e54c62764321f0f9a6e6e822093dcce7210757f216e05b5948a8fc620a','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0027755162516662720308,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('37d6c8e54c62764321f0f9a6e6e822093dcce7210757f216e05b5948a8fc620a','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.0025494455612671490865,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('37d6c8e54c62764321f0f9a6e6e822093dcce7210757f216e05b5948a8fc620a','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0032832345520650034129,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('37d6c8e54c62764321f0f9a6e6e822093dcce7210757f216e05b5948a8fc620a','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0019832557611908002356,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('3b3526be058d3613a6def0f33ff9000347ef1d615af94f9c15334f4278cec36d','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.02604291448204699641,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('3b3526be058d3613a6def0f33ff9000347ef1d615af94f9c15334f4278cec36d','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00058452264707414206944,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('3b3526be058d3613a6def0f33ff9000347ef1d615af94f9c15334f4278cec36d','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0026997865234465678006,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('3b3526be058d3613a6def0f33ff9000347ef1d615af94f9c15334f4278cec36d','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.002684981896308860378,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('3b3526be058d3613a6def0f33ff9000347ef1d615af94f9c15334f4278cec36d','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0054056515813038878703,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('3b3526be058d3613a6def0f33ff9000347ef1d615af94f9c15334f4278cec36d','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0033177251987774086967,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('4364220e1d2e5c75c97bc93ba36cbd2f8bc6f520098945f0e87cd180bba97c97','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.014627421397566444868,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('4364220e1d2e5c75c97bc93ba36cbd2f8bc6f520098945f0e87cd180bba97c97','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('4364220e1d2e5c75c97bc93ba36cbd2f8bc6f520098945f0e87cd180bba97c97','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0044835011683460436818,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('4364220e1d2e5c75c97bc93ba36cbd2f8bc6f520098945f0e87cd180bba97c97','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.014583067980651832212,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('4364220e1d2e5c75c97bc93ba36cbd2f8bc6f520098945f0e87cd180bba97c97','threadwatch-minilm-heads-cabc2f2fed50','insult',0.018640201484481713767,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('4364220e1d2e5c75c97bc93ba36cbd2f8bc6f520098945f0e87cd180bba97c97','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0012278796363651557459,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('4706adc0ac67ef3b94428f22b981825629186e11d0af13ea6419b59be4ea0905','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.0037029441438392804442,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('4706adc0ac67ef3b94428f22b981825629186e11d0af13ea6419b59be4ea0905','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00012461120244173384428,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('4706adc0ac67ef3b94428f22b981825629186e11d0af13ea6419b59be4ea0905','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0022922758403614408931,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('4706adc0ac67ef3b94428f22b981825629186e11d0af13ea6419b59be4ea0905','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.00063627753900020664334,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('4706adc0ac67ef3b94428f22b981825629186e11d0af13ea6419b59be4ea0905','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0025873162715696323282,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('4706adc0ac67ef3b94428f22b981825629186e11d0af13ea6419b59be4ea0905','threadwatch-minilm-heads-cabc2f2fed50','threat',0.00041171010802981808287,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('5e3d76ed17ae97376d840bbc35d6960eaf9a48fb03ada1468dcb6cb961b53a9c','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.026187677468390849894,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('5e3d76ed17ae97376d840bbc35d6960eaf9a48fb03ada1468dcb6cb961b53a9c','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.0015097912160390246881,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('5e3d76ed17ae97376d840bbc35d6960eaf9a48fb03ada1468dcb6cb961b53a9c','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0052019526290923807573,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('5e3d76ed17ae97376d840bbc35d6960eaf9a48fb03ada1468dcb6cb961b53a9c','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.059148924658411254628,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('5e3d76ed17ae97376d840bbc35d6960eaf9a48fb03ada1468dcb6cb961b53a9c','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0060943393701554035568,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('5e3d76ed17ae97376d840bbc35d6960eaf9a48fb03ada1468dcb6cb961b53a9c','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0063238858846360549575,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('619536babadb52cd475a435332ee5e546339cea67e94ed0d5117ba649edecc92','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.033424126201282981785,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('619536babadb52cd475a435332ee5e546339cea67e94ed0d5117ba649edecc92','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.0048694520469660463116,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('619536babadb52cd475a435332ee5e546339cea67e94ed0d5117ba649edecc92','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0090992185488409944166,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('619536babadb52cd475a435332ee5e546339cea67e94ed0d5117ba649edecc92','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.020692615146370364753,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('619536babadb52cd475a435332ee5e546339cea67e94ed0d5117ba649edecc92','threadwatch-minilm-heads-cabc2f2fed50','insult',0.061657869079129158651,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('619536babadb52cd475a435332ee5e546339cea67e94ed0d5117ba649edecc92','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0046118669016622093614,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('66ac85ba6c37f9ddc0d9d3200a28836d73d00251a860925579aca3117b799a65','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.034555778322908653477,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('66ac85ba6c37f9ddc0d9d3200a28836d73d00251a860925579aca3117b799a65','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('66ac85ba6c37f9ddc0d9d3200a28836d73d00251a860925579aca3117b799a65','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0021885968352849376888,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('66ac85ba6c37f9ddc0d9d3200a28836d73d00251a860925579aca3117b799a65','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.021059025610668857808,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('66ac85ba6c37f9ddc0d9d3200a28836d73d00251a860925579aca3117b799a65','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0072467733003494273769,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('66ac85ba6c37f9ddc0d9d3200a28836d73d00251a860925579aca3117b799a65','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0012954277594500319785,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('6e4bb93c3e9639a7bd4f5d4e4077eeeca00c0257c01a36b4c93da24c927f062a','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.14465963529133116227,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('6e4bb93c3e9639a7bd4f5d4e4077eeeca00c0257c01a36b4c93da24c927f062a','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.003962542704130023706,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('6e4bb93c3e9639a7bd4f5d4e4077eeeca00c0257c01a36b4c93da24c927f062a','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.01618958704385099756,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('6e4bb93c3e9639a7bd4f5d4e4077eeeca00c0257c01a36b4c93da24c927f062a','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.021930038129628664361,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('6e4bb93c3e9639a7bd4f5d4e4077eeeca00c0257c01a36b4c93da24c927f062a','threadwatch-minilm-heads-cabc2f2fed50','insult',0.067653357153598436823,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('6e4bb93c3e9639a7bd4f5d4e4077eeeca00c0257c01a36b4c93da24c927f062a','threadwatch-minilm-heads-cabc2f2fed50','threat',0.013641973377053247945,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('6fcf1db1055506c72286013a19f3af47f8b5c3495e42f6d4a3f43d7cc6fb2a38','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.39735149187049562113,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('6fcf1db1055506c72286013a19f3af47f8b5c3495e42f6d4a3f43d7cc6fb2a38','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.0050462095566635419355,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('6fcf1db1055506c72286013a19f3af47f8b5c3495e42f6d4a3f43d7cc6fb2a38','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.10509989279131720651,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('6fcf1db1055506c72286013a19f3af47f8b5c3495e42f6d4a3f43d7cc6fb2a38','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.020792392087001943662,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('6fcf1db1055506c72286013a19f3af47f8b5c3495e42f6d4a3f43d7cc6fb2a38','threadwatch-minilm-heads-cabc2f2fed50','insult',0.32495490941839572096,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('6fcf1db1055506c72286013a19f3af47f8b5c3495e42f6d4a3f43d7cc6fb2a38','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0031559096351195833722,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('7a4f6d02042d25dd37ef8783feace7dd0b895ff90963d80eb2e1abe5a014483d','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.13841512829315463783,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('7a4f6d02042d25dd37ef8783feace7dd0b895ff90963d80eb2e1abe5a014483d','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.0002809856062877874247,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('7a4f6d02042d25dd37ef8783feace7dd0b895ff90963d80eb2e1abe5a014483d','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0042648035836543802049,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('7a4f6d02042d25dd37ef8783feace7dd0b895ff90963d80eb2e1abe5a014483d','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.021297100769932492125,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('7a4f6d02042d25dd37ef8783feace7dd0b895ff90963d80eb2e1abe5a014483d','threadwatch-minilm-heads-cabc2f2fed50','insult',0.011219943348203521155,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('7a4f6d02042d25dd37ef8783feace7dd0b895ff90963d80eb2e1abe5a014483d','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0058450393549941779408,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('8522715d63c7da2edb5d087178f10c7a7148bcbc7fd67a72f694b9a8849f8d5a','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.02254614443368842605,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('8522715d63c7da2edb5d087178f10c7a7148bcbc7fd67a72f694b9a8849f8d5a','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('8522715d63c7da2edb5d087178f10c7a7148bcbc7fd67a72f694b9a8849f8d5a','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0018986708781622621804,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('8522715d63c7da2edb5d087178f10c7a7148bcbc7fd67a72f694b9a8849f8d5a','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.0055262705353322444726,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('8522715d63c7da2edb5d087178f10c7a7148bcbc7fd67a72f694b9a8849f8d5a','threadwatch-minilm-heads-cabc2f2fed50','insult',0.004530983217676135509,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('8522715d63c7da2edb5d087178f10c7a7148bcbc7fd67a72f694b9a8849f8d5a','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0033347156383952891375,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('8bffd205003438cb10bf04c06906c60e258a0c509fa816829cb41e32d810920e','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.022371752700619959575,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('8bffd205003438cb10bf04c06906c60e258a0c509fa816829cb41e32d810920e','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('8bffd205003438cb10bf04c06906c60e258a0c509fa816829cb41e32d810920e','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0072778181235451377961,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('8bffd205003438cb10bf04c06906c60e258a0c509fa816829cb41e32d810920e','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.0026022718592994004832,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('8bffd205003438cb10bf04c06906c60e258a0c509fa816829cb41e32d810920e','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0068177948031823126101,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('8bffd205003438cb10bf04c06906c60e258a0c509fa816829cb41e32d810920e','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0059066199639611254371,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('b03d4c5459b70181f5be3278a5111741dfa65585271152ccfa9218e9f9a0669b','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.0014467589486161897514,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('b03d4c5459b70181f5be3278a5111741dfa65585271152ccfa9218e9f9a0669b','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('b03d4c5459b70181f5be3278a5111741dfa65585271152ccfa9218e9f9a0669b','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.00085843629531282081984,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('b03d4c5459b70181f5be3278a5111741dfa65585271152ccfa9218e9f9a0669b','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.0025322770413544301755,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('b03d4c5459b70181f5be3278a5111741dfa65585271152ccfa9218e9f9a0669b','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0043691579730404349335,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('b03d4c5459b70181f5be3278a5111741dfa65585271152ccfa9218e9f9a0669b','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0025194426531396116146,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('b90c4af6d3c588e3940a7717e4fa6391786bdd0cbbdc5bd5c36d348238dbf321','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.0097375874763522708016,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('b90c4af6d3c588e3940a7717e4fa6391786bdd0cbbdc5bd5c36d348238dbf321','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('b90c4af6d3c588e3940a7717e4fa6391786bdd0cbbdc5bd5c36d348238dbf321','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.001099097947020379485,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('b90c4af6d3c588e3940a7717e4fa6391786bdd0cbbdc5bd5c36d348238dbf321','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.0026837968674968443356,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('b90c4af6d3c588e3940a7717e4fa6391786bdd0cbbdc5bd5c36d348238dbf321','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0028725610462257637062,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('b90c4af6d3c588e3940a7717e4fa6391786bdd0cbbdc5bd5c36d348238dbf321','threadwatch-minilm-heads-cabc2f2fed50','threat',0.00091569260184056562503,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('bce6d384a0305d1dbe00704183d5740ecf8f88810ad814eee9c16fac2fe406ea','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.028097612605840600885,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('bce6d384a0305d1dbe00704183d5740ecf8f88810ad814eee9c16fac2fe406ea','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.003202412246463128085,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('bce6d384a0305d1dbe00704183d5740ecf8f88810ad814eee9c16fac2fe406ea','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.011383001870149560275,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('bce6d384a0305d1dbe00704183d5740ecf8f88810ad814eee9c16fac2fe406ea','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.021976196652196241382,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('bce6d384a0305d1dbe00704183d5740ecf8f88810ad814eee9c16fac2fe406ea','threadwatch-minilm-heads-cabc2f2fed50','insult',0.010300102884607378883,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('bce6d384a0305d1dbe00704183d5740ecf8f88810ad814eee9c16fac2fe406ea','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0029257211847605020874,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('c4d62d21afa36b396acf755cfba4feb47c9f9533cc0566bf757996c341c99116','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.0048445076594130906041,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('c4d62d21afa36b396acf755cfba4feb47c9f9533cc0566bf757996c341c99116','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('c4d62d21afa36b396acf755cfba4feb47c9f9533cc0566bf757996c341c99116','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0021485118077167043686,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('c4d62d21afa36b396acf755cfba4feb47c9f9533cc0566bf757996c341c99116','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.0022131240780377948833,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('c4d62d21afa36b396acf755cfba4feb47c9f9533cc0566bf757996c341c99116','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0051237143818486634988,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('c4d62d21afa36b396acf755cfba4feb47c9f9533cc0566bf757996c341c99116','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0012170563901653743982,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('cfb0cf22032d37bd32a891f3a876feb08f4661b828fb7d6310af4810776c899b','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.0061108910051677865771,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('cfb0cf22032d37bd32a891f3a876feb08f4661b828fb7d6310af4810776c899b','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.0016134040833971801439,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('cfb0cf22032d37bd32a891f3a876feb08f4661b828fb7d6310af4810776c899b','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.00075614786413945279334,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('cfb0cf22032d37bd32a891f3a876feb08f4661b828fb7d6310af4810776c899b','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.026431068164969626771,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('cfb0cf22032d37bd32a891f3a876feb08f4661b828fb7d6310af4810776c899b','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0050521814596462882515,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('cfb0cf22032d37bd32a891f3a876feb08f4661b828fb7d6310af4810776c899b','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0080985003891746315529,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('cfb8c33feb0a9c03c80872dd8118182073e825341e07a53dbb5ed702a06993de','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.099228538697667137413,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('cfb8c33feb0a9c03c80872dd8118182073e825341e07a53dbb5ed702a06993de','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.0019530017014772885815,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('cfb8c33feb0a9c03c80872dd8118182073e825341e07a53dbb5ed702a06993de','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0092883949053285258523,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('cfb8c33feb0a9c03c80872dd8118182073e825341e07a53dbb5ed702a06993de','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.027129470695995368256,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('cfb8c33feb0a9c03c80872dd8118182073e825341e07a53dbb5ed702a06993de','threadwatch-minilm-heads-cabc2f2fed50','insult',0.069472398763316997594,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('cfb8c33feb0a9c03c80872dd8118182073e825341e07a53dbb5ed702a06993de','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0098944549794853179497,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('d8e18167c8265e00d7076cb4ea7c4a3709b4bbedf462201b0462a9122dd125a2','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.014892635252931746281,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('d8e18167c8265e00d7076cb4ea7c4a3709b4bbedf462201b0462a9122dd125a2','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.001237102064488377652,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('d8e18167c8265e00d7076cb4ea7c4a3709b4bbedf462201b0462a9122dd125a2','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0025533385229470186364,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('d8e18167c8265e00d7076cb4ea7c4a3709b4bbedf462201b0462a9122dd125a2','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.020884906417713244158,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('d8e18167c8265e00d7076cb4ea7c4a3709b4bbedf462201b0462a9122dd125a2','threadwatch-minilm-heads-cabc2f2fed50','insult',0.005700314091572932125,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('d8e18167c8265e00d7076cb4ea7c4a3709b4bbedf462201b0462a9122dd125a2','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0009321767593830750315,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.11629356554196403072,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.0024214335367191636497,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0103794334085513789,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.0032162107422270803068,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0038240139188908781227,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0033271911453524199465,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('e64962e60f21e83212ac0fb6d730c42b60c0fa86c7f39c131cb3a17ffc3d7cd7','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.030480804487333285068,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('e64962e60f21e83212ac0fb6d730c42b60c0fa86c7f39c131cb3a17ffc3d7cd7','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('e64962e60f21e83212ac0fb6d730c42b60c0fa86c7f39c131cb3a17ffc3d7cd7','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0064801262842059670354,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('e64962e60f21e83212ac0fb6d730c42b60c0fa86c7f39c131cb3a17ffc3d7cd7','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.020556567609544534186,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('e64962e60f21e83212ac0fb6d730c42b60c0fa86c7f39c131cb3a17ffc3d7cd7','threadwatch-minilm-heads-cabc2f2fed50','insult',0.026869160724261660633,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('e64962e60f21e83212ac0fb6d730c42b60c0fa86c7f39c131cb3a17ffc3d7cd7','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0080601432167820303426,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('ebbaf042f33dd73896606bb4a86b80945f2f6b1da8c6a48e1996b5b5511d8b1b','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.021217311262984255015,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('ebbaf042f33dd73896606bb4a86b80945f2f6b1da8c6a48e1996b5b5511d8b1b','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('ebbaf042f33dd73896606bb4a86b80945f2f6b1da8c6a48e1996b5b5511d8b1b','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0019902239237453264904,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('ebbaf042f33dd73896606bb4a86b80945f2f6b1da8c6a48e1996b5b5511d8b1b','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.0032055545066561035721,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('ebbaf042f33dd73896606bb4a86b80945f2f6b1da8c6a48e1996b5b5511d8b1b','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0023355757336783974399,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('ebbaf042f33dd73896606bb4a86b80945f2f6b1da8c6a48e1996b5b5511d8b1b','threadwatch-minilm-heads-cabc2f2fed50','threat',0.00091609149688655410002,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('f2be4b510b773b40808a939e20d28b71e425498243b82cca4f172df256e68be1','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.012764162150997336933,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('f2be4b510b773b40808a939e20d28b71e425498243b82cca4f172df256e68be1','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('f2be4b510b773b40808a939e20d28b71e425498243b82cca4f172df256e68be1','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.001667349334488844436,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('f2be4b510b773b40808a939e20d28b71e425498243b82cca4f172df256e68be1','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.0054390557520632518834,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('f2be4b510b773b40808a939e20d28b71e425498243b82cca4f172df256e68be1','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0022087979181066984962,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('f2be4b510b773b40808a939e20d28b71e425498243b82cca4f172df256e68be1','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0027671818525470729364,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('fd9ba76c4bf6e11c69bee9affdafb48c28bef9e16d864da83cd8c99afa9f17d6','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.0056027902063399822804,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('fd9ba76c4bf6e11c69bee9affdafb48c28bef9e16d864da83cd8c99afa9f17d6','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('fd9ba76c4bf6e11c69bee9affdafb48c28bef9e16d864da83cd8c99afa9f17d6','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0012064551141257517583,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('fd9ba76c4bf6e11c69bee9affdafb48c28bef9e16d864da83cd8c99afa9f17d6','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.0020437610431401848423,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('fd9ba76c4bf6e11c69bee9affdafb48c28bef9e16d864da83cd8c99afa9f17d6','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0012971270484410516495,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('fd9ba76c4bf6e11c69bee9affdafb48c28bef9e16d864da83cd8c99afa9f17d6','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0025031955341430476603,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('fe641fee6661da8172af30cc1a8df2195c8b3ecc95140650d0fcb68de8c6254f','threadwatch-minilm-heads-cabc2f2fed50','toxicity',0.031315941446227138489,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('fe641fee6661da8172af30cc1a8df2195c8b3ecc95140650d0fcb68de8c6254f','threadwatch-minilm-heads-cabc2f2fed50','severe_toxicity',0.00010000000000000000479,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('fe641fee6661da8172af30cc1a8df2195c8b3ecc95140650d0fcb68de8c6254f','threadwatch-minilm-heads-cabc2f2fed50','obscene',0.0021957997808305239513,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('fe641fee6661da8172af30cc1a8df2195c8b3ecc95140650d0fcb68de8c6254f','threadwatch-minilm-heads-cabc2f2fed50','identity_attack',0.021878081193425491512,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('fe641fee6661da8172af30cc1a8df2195c8b3ecc95140650d0fcb68de8c6254f','threadwatch-minilm-heads-cabc2f2fed50','insult',0.0079053599355206408128,'2026-12-03 06:59:30.007791');
INSERT INTO scores VALUES('fe641fee6661da8172af30cc1a8df2195c8b3ecc95140650d0fcb68de8c6254f','threadwatch-minilm-heads-cabc2f2fed50','threat',0.0052126660041642829818,'2026-12-03 06:59:30.007791');
CREATE TABLE rule_sets (
	version INTEGER NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	content TEXT NOT NULL, 
	created_by VARCHAR(255) NOT NULL, 
	note TEXT, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (version)
);
INSERT INTO rule_sets VALUES(1,'b15bdd39c378fc93fa94002b9279f6aa688ca285f31b450f52b47a4f8e2be7a2',replace('# Threadwatch rules: the site''s discussion policy, as rules.\n#\n# Validate with `moderation rules validate` (every problem is listed with its rule id and line).\n# Matching is whole-word and case-insensitive on a folded form of the text (homoglyphs, leetspeak,\n# masks such as f*ck, stretched and spaced letters are undone), so lists hold plain words.\n# `regex` runs on RE2 (linear time) against that folded text: lower case, every punctuation mark\n# a single space (write "i m" for "I''m"), leet folded.\n# `model` conditions test the active scorer''s labels. Detoxify (model ids `detoxify-*`) and the\n# bundled offline model (`threadwatch-minilm-heads-*`: MiniLM embeddings + calibrated heads, the\n# same six label names minus `sexual_explicit`) score on different scales, hence the model_id\n# selectors: each model has its own thresholds. The offline model''s scores are calibrated\n# probabilities (0.8 = about 80 % of such comments carry the label in held-out data); its\n# thresholds were chosen on the development split''s out-of-fold scores, never on the test split\n# (benchmarks/eval_quality.py). Examples are checked every time the rules load; plain-text\n# examples carry no model scores, so model rules give `scores:` in theirs.\nversion: "2026.11.1"\n\nclauses:\n  - id: no-profanity\n    text: Comments that include profanity will not be permitted.\n  - id: no-personal-attacks\n    text: Comments that include personal attacks will not be permitted.\n  - id: no-inappropriate-material\n    text: Comments that include other inappropriate material will not be permitted.\n  - id: may-block-violators\n    text: Asbarez reserves the right to block users who violate any of our posting standards and policies.\n\ncategories:\n  profanity: Swearing and obscenity\n  personal_attack: Insults aimed at another person\n  identity_attack: Slurs and dehumanising language about a nationality, ethnicity or religion\n  threat: Threats and wishes of harm\n  sexual: Sexually explicit material\n  other: Other inappropriate material (model-detected toxicity, repeat offenders)\n\nlists:\n  profanity:\n    file: rule_lists/better_profanity_wordlist.txt\n    source: better-profanity 0.7.0 (PyPI), better_profanity/profanity_wordlist.txt\n    license: MIT\n    # The upstream list mixes swearing with ordinary, medical, drug, news and identity words.\n    # News comments about wars must not be flagged for "kill", "murder", "nazi" or "Hitler";\n    # identity words (gay, queer, lesbians) are not profanity; slurs go to `slurs` below;\n    # insults (stupid, moron) need a target, see `insults`.\n    exclude: [\n      2 girls 1 cup, aSanchez, arian, aryan, anus, bdsm, bimbo, bimbos, bondage, breasts, busty,\n      crotch, cum, cuming, cums, doofus, dopey, drunk, dummy, erect, erection, enlargement,\n      erotic, erotism, extacy, extasy, facial, fat, fingering, flange, fondle, foobar, fubar,\n      gae, gai, gay, gays, gey, ghay, ghey, glans, god, gonad, gonads, hell, he11, hemp, heroin,\n      herp, herpes, herpy, hitler, hiv, hoar, homey, hooch, hookah, hootch, horny, horniest,\n      hump, humped, humping, hymen, inbred, incest, jerk, junkie, junky, kill, kinky, kinkyJesus,\n      klan, kkk, knob, LEN, leper, lesbians, lmao, loin, loins, lube, lust, lusting, lusty, maxi,\n      menses, menstruate, menstruation, meth, molest, moron, murder, naked, napalm, nappy, nazi,\n      nazism, negro, niggle, nimrod, ninny, nipple, nipples, nude, nudes, omg, opiate, opium, oral,\n      orally, organ, ovary, ovum, ovums, paddy, pantie, panties, panty, pastie, pasty, pawn, pcp,\n      pee, penetrate, penetration, penial, penile, perversion, peyote, pinko, playboy, pms,\n      pollock, poop, pot, potty, prig, prostitute, prude, pube, pubic, pubis, punky, puss, queer,\n      queero, queers, quicky, racy, rape, raped, raper, raping, rapist, rectal, rectum, rectus,\n      reefer, reich, revue, rum, rump, ruski, sadism, sadist, sandbar, schizo, screw, screwed,\n      screwing, scum, seaman, seamen, seduce, sex, sexual, sissy, slave, sleaze, sleazy, slope,\n      sniper, snuff, sodom, souse, soused, s.o.b., s-o-b, s0b, steamy, stoned, strip, stroke,\n      stupid, suck, sucked, sucking, tampon, tawdry, teat, thrust, thug, tinkle, toke, toots,\n      tramp, transsexual, trashy, tush, ugly, undies, unwed, urinal, urine, uterus, uzi, valium,\n      viagra, virgin, vixen, vodka, vomit, voyeur, vulgar, wad, wang, weed, weenie, weewee,\n      weiner, weirdo, willies, willy, womb, woody, xx, yury, hebe, heeb, gringo, guido, honky,\n      whitey, wop, polack, kraut, jap, japs, paki, spic, spick, spik, spiks, chink, gook, gooks,\n      kike, kikes, kyke, injun, moolie, wetback, wigger, coon, dyke, dykes, fag, fagg, fagged,\n      fagging, faggit, faggitt, faggot, faggs, fagot, fagots, fags, n1g, n1gg, n1gga, n1gger, nig,\n      nigg, nigg3r, nigg4h, nigga, niggah, niggas, niggaz, nigger, niggers, niglet, homo, h0m0,\n      h0mo, hom0, retard, retarded, reetard, ritard, rtard, r-tard, tard, spac, massa, hussy,\n      ganja, scag, skag, pimp, hooker, horny, dink, dinks, lech, junkie, dong, mams, muff,\n      pecker, wank, wanky, wanker, pornography, testicle, testical, testes, testis, teste, testee,\n      # entries whose symbols fold away ("shi+" would become the surname "shi")\n      shi+, sh!+, l3i+ch,\n    ]\n  slurs:\n    # Ethnic, religious and homophobic slurs, taken from the same better-profanity list.\n    source: better-profanity 0.7.0 (PyPI), subset of profanity_wordlist.txt\n    license: MIT\n    items: [\n      chink, coon, gook, gooks, kike, kikes, kyke, injun, jap, japs, kraut, moolie,\n      paki, polack, spic, spick, spik, spiks, wetback, wop, honky, wigger, n1g, n1gg, n1gga,\n      n1gger, nigg, nigg3r, nigg4h, nigga, niggah, niggas, niggaz, nigger, niggers, niglet, dyke,\n      dykes, fag, fagg, faggit, faggitt, faggot, faggs, fagot, fagots, fags, raghead, ragheads,\n      towelhead, towelheads, sandnigger, camel jockey,\n      # Turkish (also used by Armenian readers)\n      ibne, ibneler, puşt, pust,\n    ]\n  insults:\n    # Words that insult a person; they count as a personal attack when the comment is aimed at\n    # someone (second person, @name, "the commenter above", the parent comment''s author).\n    items: [\n      idiot, idiots, idiotic, moron, morons, moronic, stupid, imbecile, imbeciles, cretin, cretins,\n      fool, fools, dumb, dumbass, dummy, loser, losers, jerk, jerks, scum, scumbag, scumbags,\n      clown, clowns, pathetic, ignorant, liar, liars, coward, cowards, retard, retarded, brainless,\n      halfwit, nitwit, dimwit, dunce, buffoon, degenerate, lowlife, worthless, pig, pigs,\n      hypocrite, ignoramus, simpleton, bonehead, airhead, numbskull, twit, prat,\n      shut up, get lost, go to hell, piece of shit, piece of crap, waste of space,\n      # Turkish and Armenian (transliterated) insults: idiot, donkey, sheep, dishonourable\n      salak, aptal, gerizekali, gerizekalı, eşek, esek, hayvan, eshak, esh, ochxar, vochxar,\n    ]\n  armenian_profanity:\n    file: rule_lists/armenian_profanity.txt\n    source: written for Threadwatch (see the file''s header)\n    license: MIT\n  turkish_profanity:\n    file: rule_lists/turkish_profanity.txt\n    source: written for Threadwatch (see the file''s header)\n    license: MIT\n\nrules:\n  - id: profanity\n    description: Profanity\n    category: profanity\n    clause: no-profanity\n    action: flag\n    severity: 2\n    priority: 10\n    match:\n      words: {list: profanity}\n    examples:\n      should_flag:\n        - This is bullshit.\n        - What the f*ck is this\n        - "F U C K this"\n        - sh1t happens\n        - fuuuuck off\n        - "Total а$$hole"  # Cyrillic а, leet $\n      should_pass:\n        - The Turkish army could kill thousands in a war.\n        - Penistone and Middlesex are in England.\n        - The therapist ate a grape.\n        - Matt Hancock resigned.\n        - The Nazi regime and Hitler were defeated in 1945.\n        - The class assessed the assignment.\n\n  - id: personal-attack\n    description: Insult aimed at a person\n    category: personal_attack\n    clause: no-personal-attacks\n    action: flag\n    severity: 3\n    priority: 20\n    match:\n      all:\n        - words: {list: insults}\n        - directed: true\n    examples:\n      should_flag:\n        - You are an idiot.\n        - "@gary what a moron"\n        - The above ignorant individual should realize that such claims please nobody.\n        - {text: "Gary is a clown", parent_author: Gary}\n        - ur so stup1d\n      should_pass:\n        - The policy is stupid.\n        - You make a fair point about Kars and Ardahan.\n        - Only a fool would start a war, said the minister.\n\n  - id: slur\n    description: Ethnic, religious or homophobic slur\n    category: identity_attack\n    clause: no-inappropriate-material\n    action: hold\n    severity: 4\n    priority: 40\n    match:\n      words: {list: slurs}\n    examples:\n      should_flag:\n        - go home you damn wetback\n        - k1ke\n      should_pass:\n        - Japanese and Pakistani delegations met in Baku.\n        - The spice market reopened.\n\n  # --- hostile speech about groups and people (the seeds'' "other inappropriate material") -----\n  # Regexes run on the folded text, where punctuation is a space, so they keep the words between\n  # the group and the term few and of a known kind: news about war, genocide, military aid and\n  # history names the same groups every day and must stay clean.\n  - id: dehumanising-group\n    description: Dehumanising term applied to a nationality, ethnicity or religion\n    category: identity_attack\n    clause: no-inappropriate-material\n    action: flag\n    severity: 4\n    priority: 35\n    match:\n      regex:\n        # term, then the group: "YELLOW STAIN turkey", "filthy horde of Turks"\n        - ''\b(?:yellow +stain|vermin|cockroaches|rats|parasites|savages|barbarians|subhumans?|untermensch|apes|monkeys|dogs|pigs|beasts|mongrels|filth|scum|hordes?)(?: +(?:of|the|these|those|all|called))* +(?:turks?|turkish|turkey|armenians?|armenia|azeris?|azerbaijanis?|azerbaijan|tatars?|kurds?|kurdish|arabs?|jews|jewish|muslims?|christians?|russians?|persians?|iranians?|georgians?|greeks?|assyrians?|blacks|whites|mexicans|immigrants|refugees|gypsies|roma|africans|asians|chinese|hindus|sikhs|israelis?|palestinians?)\b''\n        # a dehumanising adjective on a people: "the barbaric Turks", "filthy Armenians"\n        - ''\b(?:primitive|barbaric|uncivili[sz]ed|subhuman|filthy|dirty|stinking|savage|inferior) +(?:turks|armenians|azeris|azerbaijanis|tatars|kurds|arabs|jews|muslims|christians|russians|persians|iranians|georgians|greeks|assyrians|blacks|whites|mexicans|immigrants|refugees|gypsies|roma|africans|asians|hindus|sikhs|israelis|palestinians)\b''\n        # the group, then the term: "Turkish horde", "Armenians are vermin", "these people are animals"\n        - ''\b(?:turks?|turkish|turkey|armenians?|armenia|azeris?|azerbaijanis?|azerbaijan|tatars?|kurds?|kurdish|arabs?|jews|jewish|muslims?|christians?|russians?|persians?|iranians?|georgians?|greeks?|assyrians?|blacks|whites|mexicans|immigrants|refugees|gypsies|roma|africans|asians|chinese|hindus|sikhs|israelis?|palestinians?|these +people|those +people)(?: +(?:are|is|were|was|all|just|simply|nothing +but|like|such|a|an|bunch +of|pack +of|of|the|real|filthy|dirty|damn|bloody|fucking|wild|stinking|dumb))* +(?:yellow +stain|vermin|cockroach(?:es)?|rats|parasites|savages|barbarians|animals|subhumans?|untermensch|apes|monkeys|dogs|pigs|beasts|mongrels|filth|scum|horde|hordes|plague|cancer|primitive|uncivili[sz]ed)\b''\n    examples:\n      should_flag:\n        - YELLOW STAIN turkey will not start or back its brother in crime.\n        - one backed from the Turkish horde and the Muslim Terrorist\n        - Armenians are vermin\n        - Turks are just animals.\n        - a filthy horde of Turks\n        - The barbaric Turks\n        - filthy Armenians\n      should_pass:\n        - Turkey could provide military assistance to Azerbaijan in case of a new war.\n        - The Genocide of Armenians by the Turks was real.\n        - Azeris were reduced to sending untrained 16 and 17 year olds to the front.\n        - The Turkish army uses dogs to find mines near the border.\n        - Lung cancer rates in Turkey are rising.\n        - The plague reached Armenia in 1348.\n        - Hundreds of Grey Wolves irregulars were sent by Turkey to fight alongside Azeri Tatars.\n        - Primitive Turkish drones were shot down over Karabakh.\n\n  - id: dehumanising-people\n    description: People of a nation or group called primitive, barbarians, animals or vermin\n    category: identity_attack\n    clause: no-inappropriate-material\n    action: flag\n    severity: 4\n    priority: 34\n    match:\n      regex:\n        # "these people on our other side are simply very primitive"\n        - ''\b(?:turks|armenians|azeris|azerbaijanis|tatars|kurds|arabs|jews|muslims|christians|russians|persians|iranians|georgians|greeks|assyrians|blacks|whites|mexicans|immigrants|refugees|gypsies|roma|africans|asians|hindus|sikhs|israelis|palestinians|these +people|those +people|this +people|that +people|this +nation|that +nation|these +nations|such +people)(?: +\w+){0,5} +(?:are|is|were|remain|remains|will +always +be)(?: +(?:all|simply|just|really|still|truly|basically|very|so|such|nothing +but|only|a|an|bunch +of|pack +of|like))* +(?:primitive|barbaric|barbarians|savages|savage|animals|beasts|vermin|subhuman|subhumans|parasites|uncivili[sz]ed|inferior|cockroaches|rats|apes|monkeys|plague|cancer|disease|virus)\b''\n        # "those savages in Baku", "they are subhuman"\n        - ''\b(?:these|those|such) +(?:savages|barbarians|vermin|subhumans|cockroaches|parasites|untermenschen)\b''\n        - ''\b(?:they|them) +(?:are|re)(?: +(?:all|just|simply|nothing +but|such|like))* +(?:subhuman|subhumans|vermin|savages|barbarians|animals|cockroaches|parasites|untermensch)\b''\n        # "as long as we live next to barbarians"\n        - ''\b(?:live|living|lives|neighbou?rs|neighbou?ring|next +to|surrounded +by)(?: +(?:are|is|with|the|these|those|such|a|an|bunch +of|pack +of|of|to|next|by))* +(?:barbarians|savages|animals|beasts|vermin|subhumans|cockroaches|parasites)\b''\n    examples:\n      should_flag:\n        - these people on our ether side are simply very primitive. It''s not our fault.\n        - As long as we live next to barbarians we need to prepare for them.\n        - Azeris are so primitive.\n        - Our neighbours are savages.\n        - Those savages in Baku\n        - they are subhuman\n      should_pass:\n        - The weapons in the 1992 war were primitive by today''s standards.\n        - Rome fell to the barbarians in 476.\n        - These people wanted to mediate the Karabakh conflict. Give me a break.\n        - Villagers live next to the border with Turkey.\n        - Farmers lost their animals in the shelling.\n        - These animals were rescued from the zoo in Stepanakert.\n\n  - id: nation-denial\n    description: Denying that a nation or people exists\n    category: identity_attack\n    clause: no-inappropriate-material\n    action: flag\n    severity: 3\n    priority: 33\n    match:\n      regex:\n        - ''\bthere +(?:is|was|s) +no +such +(?:nation|people|nationality|ethnicity|ethnic +group|race)\b''\n        - ''\b(?:is|are|was|were) +(?:not|never) +(?:even +)?(?:a +|an +)?(?:real|true|genuine|actual|proper) +(?:nation|people|nationality|ethnicity|country)\b''\n        - ''\b(?:fake|invented|made +up|fictional|fictitious|so +called|non +existent|nonexistent) +(?:nation|nationality|ethnicity|ethnic +group)\b''\n        - ''\b(?:is|are) +(?:a +|an +)?(?:fake|invented|made +up|artificial|fictional|fictitious|non +existent|nonexistent) +(?:nation|nationality|ethnicity|country|people|state)\b''\n        - ''\bno +such +thing +as +(?:an? +)?(?:azeri|azerbaijani|armenian|turkish|kurdish|palestinian|georgian|ukrainian|israeli|jewish) +(?:nation|people|nationality|ethnicity)\b''\n    examples:\n      should_flag:\n        - There is no such nation "Azeri".\n        - Azeris are not a real nation.\n        - Armenia is not even a real country.\n        - an invented nationality\n        - There is no such thing as a Kurdish people.\n        - Azerbaijan is a fake country.\n      should_pass:\n        - There is no such entity "Azerbaijan" on ancient maps.\n        - Azerbaijan is not a real democracy.\n        - There is no such thing as a free lunch.\n        - The so-called peace deal was signed in Baku.\n        - The term "Azeri" was created by Stalin in the 1940s.\n        - The border is an artificial line drawn in 1921.\n\n  - id: collective-blame\n    description: A whole nationality, ethnicity or religion called criminals, liars or guilty\n    category: identity_attack\n    clause: no-inappropriate-material\n    action: flag\n    severity: 3\n    priority: 32\n    match:\n      regex:\n        - ''\b(?:turks|armenians|azeris|azerbaijanis|tatars|kurds|arabs|jews|muslims|christians|russians|persians|iranians|georgians|greeks|assyrians|blacks|whites|mexicans|immigrants|refugees|gypsies|roma|africans|asians|hindus|sikhs|israelis|palestinians) +(?:are|were)(?: +(?:all|always|just|simply|nothing +but|born|by +nature|natural|a +nation +of|a +people +of|a +race +of|a +bunch +of|bunch +of|the))* +(?:liars|murderers|killers|thieves|terrorists|criminals|rapists|butchers|cowards|traitors|evil|monsters|bloodthirsty|thugs|snakes|the +enemy|enemies +of +humanity|genocidal)\b''\n        - ''\b(?:every|each|any) +(?:turk|armenian|azeri|azerbaijani|kurd|arab|jew|muslim|christian|russian|persian|iranian|georgian|greek|israeli|palestinian) +(?:is|was) +(?:a +|an +)?(?:born +)?(?:liar|murderer|killer|thief|terrorist|criminal|rapist|butcher|coward|traitor|monster|snake|enemy|guilty|to +blame)\b''\n        - ''\b(?:all|every +single|every|each +and +every) +(?:turks|armenians|azeris|azerbaijanis|tatars|kurds|arabs|jews|muslims|christians|russians|persians|iranians|georgians|greeks|assyrians|blacks|whites|mexicans|immigrants|refugees|gypsies|roma|africans|asians|hindus|sikhs|israelis|palestinians|turk|armenian|azeri|kurd|arab|jew|muslim) +(?:are|is|were|was)(?: +\w+)? +(?:guilty|to +blame|responsible|complicit)\b''\n        - ''\b(?:all|every) +(?:turks|armenians|azeris|azerbaijanis|tatars|kurds|arabs|jews|muslims|christians|russians|persians|iranians|georgians|greeks|assyrians|blacks|whites|mexicans|immigrants|refugees|gypsies|roma|africans|asians|hindus|sikhs|israelis|palestinians)(?: +\w+){0,2} +(?:have|has) +blood +on +their +hands\b''\n    examples:\n      should_flag:\n        - Turks are liars, all of them.\n        - Armenians are born thieves.\n        - every Azeri is a terrorist\n        - All Turks are guilty of the genocide.\n        - all Russians have blood on their hands\n      should_pass:\n        - The Genocide of Armenians by the Turks was real.\n        - Turkey is responsible for the genocide and must recognise it.\n        - Azeris were on the ropes and were facing massive defeat.\n        - The Ottoman government planned the deportations; many Turks hid Armenian neighbours.\n        - All Armenians remember April 24.\n\n  - id: threat\n    description: Threat or wish of harm against a person or group\n    category: threat\n    clause: no-inappropriate-material\n    action: hold\n    severity: 5\n    priority: 50\n    match:\n      regex:\n        - ''\b(?:i|we|i +m|im|i +ll|we +ll|i +will|we +will|i +am +going +to|i +m +going +to|we +are +going +to|gonna|going +to)(?: +\w+)? +(?:kill|murder|shoot|stab|hang|behead|slaughter|butcher|burn|rape|hurt|beat|strangle|choke|find|hunt +down) +(?:you|u|ya|him|her|them|all +of +you|every +one +of +you|your +family|your +kids)\b''\n        - ''\b(?:you|u|ya) +(?:should|deserve +to|ought +to|need +to|will|re +going +to|are +going +to|gonna) +(?:\w+ +)?(?:die|be +killed|be +shot|be +hanged|be +hung|burn|rot +in +hell|be +raped|get +shot|get +killed|hang)\b''\n        - ''\b(?:i|we) +(?:hope|wish|pray) +(?:that +)?(?:you|u|he|she|they|your +\w+)(?: +\w+)? +(?:die|dies|get +killed|gets +killed|get +shot|gets +shot|burn|burns|rot|rots|get +cancer|gets +cancer|get +raped|gets +raped)\b''\n        # wishing death on a named person: "I hope Erdogan dies", "I pray that Aliyev rots in hell"\n        - ''\b(?:i|we) +(?:hope|wish|pray)(?: +that)? +\w+ +(?:will +|would +)?(?:dies|die|drops +dead|rots +in +hell|rot +in +hell|burns +in +hell|burn +in +hell|gets +killed|get +killed|gets +shot|get +shot|gets +hanged|get +hanged|is +killed|is +shot|is +hanged|is +executed)\b''\n        # wishing someone "the same" right after a death: "took the bombs to his grave; I hope the same happens to Erdogan"\n        - ''\b(?:grave|graves|died|dead|death|killed|hanged|executed|shot|assassinated)(?: +\w+){0,12} +(?:i|we) +(?:hope|wish|pray)(?: +\w+){0,4} +(?:happen|happens|happened)(?: +\w+){0,2} +(?:the +same|to +him|to +her|to +them|to +\w+ +too)\b''\n        - ''\b(?:i|we) +(?:hope|wish|pray)(?: +that)? +the +same +(?:will +)?(?:happen|happens) +(?:to|with) +\w+(?: +\w+){0,12} +(?:grave|graves|died|dead|death|killed|hanged|executed|shot|assassinated)\b''\n        - ''\b(?:kill|hang|shoot) +(?:yourself|urself|yourselves)\b|\bkys\b|\bdrop +dead\b''\n        - ''\b(?:wipe +out|exterminate|annihilate|eradicate|ethnically +cleanse|gas|nuke|clean|cleanse)(?: +the)? +(?:turks?|turkey|armenians?|armenia|azeris?|azerbaijan|kurds?|jews|muslims?|christians?|russians?|russia)(?: +\w+){0,2}? +(?:once +(?:and +)?for +all|off +the +map|from +the +face +of +the +earth)\b''\n        # calls to harm a group: an imperative or "we should", never a report of what was done\n        - ''\b(?:we +should|we +must|we +need +to|we +have +to|we +ought +to|let +s|lets|let +us|someone +should|somebody +should|it +s +time +to|time +to|should|must)(?: +(?:just|finally|all|go +and|go))* +(?:kill|hang|shoot|burn|bomb|nuke|gas|slaughter|behead|exterminate|massacre|wipe +out|eradicate|annihilate|ethnically +cleanse)(?: +(?:all|every|the|those|these|of))* +(?:turks|armenians|azeris|azerbaijanis|kurds|arabs|jews|muslims|christians|russians|persians|georgians|them +all|every +last +one)\b''\n        - ''\b(?:someone|somebody|we) +(?:should|must|needs? +to|ought +to|has +to|have +to) +(?:kill|hang|behead|execute|assassinate|lynch|murder) +\w+''\n        - ''\b(?:let +s|lets|let +us) +(?:nuke|bomb|gas|kill|exterminate|wipe +out|hang)(?: +(?:the|all|every|those|these))* +(?:turks?|turkish|turkey|armenians?|armenia|azeris?|azerbaijanis?|azerbaijan|tatars?|kurds?|kurdish|arabs?|jews|jewish|muslims?|christians?|russians?|persians?|iranians?|georgians?|greeks?|assyrians?|blacks|whites|mexicans|immigrants|refugees|gypsies|roma|africans|asians|chinese|hindus|sikhs|israelis?|palestinians?|baku|yerevan|ankara|istanbul|stepanakert|shushi|shusha|tbilisi|moscow|tehran|them +all)\b''\n        - ''\bkill +(?:them|em) +all\b''\n        - ''\b(?:turks?|turkish|turkey|armenians?|armenia|azeris?|azerbaijanis?|azerbaijan|tatars?|kurds?|kurdish|arabs?|jews|jewish|muslims?|christians?|russians?|persians?|iranians?|georgians?|greeks?|assyrians?|blacks|whites|mexicans|immigrants|refugees|gypsies|roma|africans|asians|chinese|hindus|sikhs|israelis?|palestinians?)(?: +\w+){0,2} +(?:should|must|deserves? +to|needs? +to|ought +to|will) +be +(?:wiped +off +the +map|wiped +out|exterminated|annihilated|eradicated|nuked|erased +from +the +map|gassed|slaughtered|hanged)\b''\n        - ''\b(?:all +|every +|the +)?(?:turks|armenians|azeris|azerbaijanis|tatars|kurds|arabs|jews|muslims|christians|russians|persians|iranians|georgians|greeks|assyrians|blacks|whites|mexicans|immigrants|refugees|gypsies|roma|africans|asians|hindus|sikhs|israelis|palestinians)(?: +\w+){0,2} +(?:deserve +to|should|must|need +to|ought +to) +(?:die|be +killed|burn|be +exterminated|be +wiped +out|rot +in +hell)\b''\n        - ''\b(?:i|we) +(?:will|ll|m +going +to|am +going +to|are +going +to|re +going +to|would|want +to|wanna|gonna)(?: +\w+)? +(?:kill|murder|shoot|stab|slaughter|behead|hang|burn) +(?:every|all|each|any|the|those|these)(?: +\w+)? +(?:turks?|armenians?|azeris?|kurds?|arabs?|jews?|muslims?|christians?|russians?)\b''\n        - ''\bdeath +to +(?:all +)?(?:the +)?(?:turks?|turkey|armenians?|armenia|azeris?|azerbaijan|kurds?|arabs?|jews|israel|muslims?|christians?|russians?|russia|america|americans)\b''\n    examples:\n      should_flag:\n        - I will find you and kill you\n        - I''m going to shoot him\n        - I hope you die\n        - kill yourself\n        - The Russions would get a good reason to clean Turkey once for all!\n        - we should exterminate the Armenians\n        - he took the bombs with himself to his grave - I hope with Endogen will happen the same !\n        - I hope Erdogan dies.\n        - Death to the Turks!\n        - Let''s kill them all, every last one.\n        - I wish Aliyev would die\n        - Someone should hang Erdogan\n        - Let''s nuke Baku\n        - Armenia should be wiped off the map\n        - All Turks deserve to die\n        - I will kill every Turk I see\n      should_pass:\n        - The war could kill thousands of civilians.\n        - Turkey would never do this because this could start WW3.\n        - Genocide II would be a war between two countries.\n        - The deal was signed in Baku just days before Armenia and Russia agreed.\n        - The Young Turks planned to exterminate the Armenians in 1915.\n        - Ozal was going to bomb Armenia in the 90s.\n        - Turkey would teach her a lesson "like 1915", his words.\n        - I hope the same happens to our economy next year.\n        - I hope the ceasefire does not die.\n        - Azeris were mowed down by the hundreds.\n        - We should shoot for a peace deal by summer.\n        - The governor was ordered to kill every Armenian in the province, survivors testified.\n        - Kill the bill, protesters chanted.\n        - I agree. Let''s nuke it.\n        - I''ll get you that info by Monday.\n        - ISIS should be wiped out, the minister said.\n\n  - id: profanity-armenian\n    description: Armenian profanity (Armenian script or transliterated)\n    category: profanity\n    clause: no-profanity\n    action: flag\n    severity: 2\n    priority: 11\n    match:\n      words: {list: armenian_profanity}\n    examples:\n      should_flag:\n        - let them try, they know... both kakare pantalone\n        - kunem qo mery\n        - bozi tgha\n        - Քունեմ\n      should_pass:\n        - Kars and Ardahan were Armenian regions.\n        - Kakheti is a region of Georgia.\n        - The Bozeman delegation arrived.\n\n  - id: profanity-turkish\n    description: Turkish profanity (with or without Turkish letters)\n    category: profanity\n    clause: no-profanity\n    action: flag\n    severity: 2\n    priority: 11\n    match:\n      words: {list: turkish_profanity}\n    examples:\n      should_flag:\n        - siktir git\n        - amına koyayım\n        - orospu cocugu\n        - s1kt1r\n      should_pass:\n        - Turkish officials met in Ankara.\n        - I am going to Ankara.\n\n  - id: repeat-offender\n    description: Offensive comment from an author with three or more rejected comments\n    category: other\n    clause: may-block-violators\n    action: hold\n    severity: 3\n    priority: 45\n    match:\n      all:\n        - author: {min_prior_rejections: 3}\n        - any:\n            - words: {list: profanity}\n            - words: {list: insults}\n            - model: "toxicity >= 0.5"\n    examples:\n      should_flag:\n        - {text: "this is crap", prior_rejections: 3}\n        - {text: "whatever", prior_rejections: 5, scores: {toxicity: 0.7}}\n      should_pass:\n        - {text: "this is crap", prior_rejections: 1}\n        - {text: "Thanks for the article", prior_rejections: 7, scores: {toxicity: 0.01}}\n\n  # --- model thresholds: Detoxify (model ids detoxify-*) -------------------------------------\n  - id: model-toxicity\n    description: Toxic (Detoxify)\n    category: other\n    clause: no-inappropriate-material\n    action: flag\n    severity: 2\n    priority: 5\n    match:\n      model: {label: toxicity, gte: 0.8, model_id: "detoxify-*"}\n    examples:\n      should_flag: [{text: "x", scores: {toxicity: 0.93}, model_id: detoxify-unbiased+onnx-int8}]\n      should_pass: [{text: "x", scores: {toxicity: 0.2}, model_id: detoxify-unbiased+onnx-int8}, "no scores: undecided, not flagged"]\n\n  - id: model-severe-toxicity\n    description: Severely toxic (Detoxify)\n    category: other\n    clause: no-inappropriate-material\n    action: hold\n    severity: 4\n    priority: 25\n    match:\n      model: {label: severe_toxicity, gte: 0.4, model_id: "detoxify-*"}\n    examples:\n      should_flag: [{text: "x", scores: {severe_toxicity: 0.6}, model_id: detoxify-unbiased+onnx-int8}]\n      should_pass: [{text: "x", scores: {severe_toxicity: 0.05}, model_id: detoxify-unbiased+onnx-int8}]\n\n  - id: model-obscene\n    description: Obscene (Detoxify)\n    category: profanity\n    clause: no-profanity\n    action: flag\n    severity: 2\n    priority: 6\n    match:\n      model: {label: obscene, gte: 0.8, model_id: "detoxify-*"}\n    examples:\n      should_flag: [{text: "x", scores: {obscene: 0.9}, model_id: detoxify-unbiased+onnx-int8}]\n      should_pass: [{text: "x", scores: {obscene: 0.3}, model_id: detoxify-unbiased+onnx-int8}]\n\n  - id: model-identity-attack\n    description: Identity attack (Detoxify)\n    category: identity_attack\n    clause: no-inappropriate-material\n    action: flag\n    severity: 4\n    priority: 8\n    match:\n      model: {label: identity_attack, gte: 0.5, model_id: "detoxify-*"}\n    examples:\n      should_flag: [{text: "x", scores: {identity_attack: 0.7}, model_id: detoxify-unbiased+onnx-int8}]\n      should_pass: [{text: "x", scores: {identity_attack: 0.1}, model_id: detoxify-unbiased+onnx-int8}]\n\n  - id: model-insult\n    description: Insult (Detoxify)\n    category: personal_attack\n    clause: no-personal-attacks\n    action: flag\n    severity: 3\n    priority: 7\n    match:\n      model: {label: insult, gte: 0.8, model_id: "detoxify-*"}\n    examples:\n      should_flag: [{text: "x", scores: {insult: 0.85}, model_id: detoxify-unbiased+onnx-int8}]\n      should_pass: [{text: "x", scores: {insult: 0.4}, model_id: detoxify-unbiased+onnx-int8}]\n\n  - id: model-threat\n    description: Threat (Detoxify)\n    category: threat\n    clause: no-inappropriate-material\n    action: hold\n    severity: 5\n    priority: 30\n    match:\n      model: {label: threat, gte: 0.5, model_id: "detoxify-*"}\n    examples:\n      should_flag: [{text: "x", scores: {threat: 0.8}, model_id: detoxify-unbiased+onnx-int8}]\n      should_pass: [{text: "x", scores: {threat: 0.1}, model_id: detoxify-unbiased+onnx-int8}]\n\n  - id: model-sexual-explicit\n    description: Sexually explicit (Detoxify)\n    category: sexual\n    clause: no-inappropriate-material\n    action: flag\n    severity: 3\n    priority: 6\n    match:\n      model: {label: sexual_explicit, gte: 0.7, model_id: "detoxify-*"}\n    examples:\n      should_flag: [{text: "x", scores: {sexual_explicit: 0.9}, model_id: detoxify-unbiased+onnx-int8}]\n      should_pass: [{text: "x", scores: {sexual_explicit: 0.2}, model_id: detoxify-unbiased+onnx-int8}]\n\n  # --- model thresholds: the bundled offline model (threadwatch-minilm-heads-*) ---------------\n  # Calibrated probabilities. Chosen with `benchmarks/eval_quality.py --split validation --tune`\n  # (coordinate search for the best mean of Jigsaw''s and Davidson''s overall F1 on out-of-fold\n  # development scores); the test split was not looked at. Retrained heads keep the scale (each\n  # label is calibrated), so these need no change after `moderation model train`.\n  - id: offline-toxicity\n    description: Toxic (offline model)\n    category: other\n    clause: no-inappropriate-material\n    action: flag\n    severity: 2\n    priority: 5\n    match:\n      model: {label: toxicity, gte: 0.75, model_id: "threadwatch-minilm-heads-*"}\n    examples:\n      should_flag: [{text: "x", scores: {toxicity: 0.9}, model_id: threadwatch-minilm-heads-0}]\n      should_pass:\n        - {text: "x", scores: {toxicity: 0.4}, model_id: threadwatch-minilm-heads-0}\n        - {text: "x", scores: {toxicity: 0.99}, model_id: detoxify-unbiased+onnx-int8}\n\n  - id: offline-severe-toxicity\n    description: Severely toxic (offline model)\n    category: other\n    clause: no-inappropriate-material\n    action: hold\n    severity: 4\n    priority: 25\n    match:\n      model: {label: severe_toxicity, gte: 0.8, model_id: "threadwatch-minilm-heads-*"}\n    examples:\n      should_flag: [{text: "x", scores: {severe_toxicity: 0.9}, model_id: threadwatch-minilm-heads-0}]\n      should_pass: [{text: "x", scores: {severe_toxicity: 0.3}, model_id: threadwatch-minilm-heads-0}]\n\n  - id: offline-obscene\n    description: Obscene (offline model)\n    category: profanity\n    clause: no-profanity\n    action: flag\n    severity: 2\n    priority: 6\n    match:\n      model: {label: obscene, gte: 0.75, model_id: "threadwatch-minilm-heads-*"}\n    examples:\n      should_flag: [{text: "x", scores: {obscene: 0.9}, model_id: threadwatch-minilm-heads-0}]\n      should_pass: [{text: "x", scores: {obscene: 0.5}, model_id: threadwatch-minilm-heads-0}]\n\n  - id: offline-identity-attack\n    description: Identity attack (offline model)\n    category: identity_attack\n    clause: no-inappropriate-material\n    action: flag\n    severity: 4\n    priority: 8\n    match:\n      model: {label: identity_attack, gte: 0.25, model_id: "threadwatch-minilm-heads-*"}\n    examples:\n      should_flag: [{text: "x", scores: {identity_attack: 0.6}, model_id: threadwatch-minilm-heads-0}]\n      should_pass: [{text: "x", scores: {identity_attack: 0.1}, model_id: threadwatch-minilm-heads-0}]\n\n  - id: offline-insult\n    description: Insult (offline model)\n    category: personal_attack\n    clause: no-personal-attacks\n    action: flag\n    severity: 3\n    priority: 7\n    match:\n      model: {label: insult, gte: 0.35, model_id: "threadwatch-minilm-heads-*"}\n    examples:\n      should_flag: [{text: "x", scores: {insult: 0.7}, model_id: threadwatch-minilm-heads-0}]\n      should_pass: [{text: "x", scores: {insult: 0.1}, model_id: threadwatch-minilm-heads-0}]\n\n  - id: offline-threat\n    description: Threat (offline model)\n    category: threat\n    clause: no-inappropriate-material\n    action: hold\n    severity: 5\n    priority: 30\n    match:\n      model: {label: threat, gte: 0.8, model_id: "threadwatch-minilm-heads-*"}\n    examples:\n      should_flag: [{text: "x", scores: {threat: 0.9}, model_id: threadwatch-minilm-heads-0}]\n      should_pass: [{text: "x", scores: {threat: 0.2}, model_id: threadwatch-minilm-heads-0}]\n','\n',char(10)),'rules.yaml','loaded from rules.yaml','2026-12-03 06:59:29.167618');
CREATE TABLE moderator_actions (
	id INTEGER NOT NULL, 
	moderator VARCHAR(255) NOT NULL, 
	action VARCHAR(16) NOT NULL, 
	target_type VARCHAR(16) NOT NULL, 
	target_id VARCHAR(255), 
	count INTEGER DEFAULT '0' NOT NULL, 
	undoes INTEGER, 
	undone_at DATETIME, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(undoes) REFERENCES moderator_actions (id)
);
INSERT INTO moderator_actions VALUES(1,'demo','reject','comment','148bd335210872b2',1,NULL,NULL,'2026-12-03 06:59:36.967939');
INSERT INTO moderator_actions VALUES(2,'demo','approve','comment','1de5aa132d9656ba',1,NULL,NULL,'2026-12-03 06:59:36.977452');
CREATE TABLE audit_log (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(255) NOT NULL, 
	action VARCHAR(64) NOT NULL, 
	target_type VARCHAR(32) NOT NULL, 
	target_id VARCHAR(128) NOT NULL, 
	details JSON NOT NULL, 
	rule_set_version INTEGER, 
	model_id VARCHAR(128), 
	seq INTEGER, 
	prev_hash VARCHAR(64), 
	row_hash VARCHAR(64), 
	PRIMARY KEY (id), 
	UNIQUE (seq)
);
INSERT INTO audit_log VALUES(1,'2026-12-03 06:59:29.176466','rules.yaml','rules.save','rule_set','1','{"note": "loaded from rules.yaml", "hash": "b15bdd39c378fc93fa94002b9279f6aa688ca285f31b450f52b47a4f8e2be7a2"}',1,NULL,1,'0000000000000000000000000000000000000000000000000000000000000000','4b14dd765c666a5847d36fd0e7c7faf2b782a4f1a7a409ec23c3f21906318f79');
INSERT INTO audit_log VALUES(2,'2026-12-03 06:59:36.967939','demo','reject','comment','148bd335210872b2','{"from": "unmoderated", "to": "rejected", "clause": "comments-are-welcomed-and-encouraged", "note": "legacy fixture", "article_id": "25db9147e8023e36", "article": "Turkey \u2018Could Back Azerbaijan\u2019 In Karabakh War", "position": 5, "author": "Danoog"}',NULL,NULL,2,'4b14dd765c666a5847d36fd0e7c7faf2b782a4f1a7a409ec23c3f21906318f79','2fd5da3ebb51fbb9261f65edf8646e7e1a6e2de3a136fd141b42fc2e8728f14f');
INSERT INTO audit_log VALUES(3,'2026-12-03 06:59:36.977452','demo','approve','comment','1de5aa132d9656ba','{"from": "unmoderated", "to": "approved", "clause": null, "note": null, "article_id": "25db9147e8023e36", "article": "Turkey \u2018Could Back Azerbaijan\u2019 In Karabakh War", "position": 14, "author": "craig markarian"}',NULL,NULL,3,'2fd5da3ebb51fbb9261f65edf8646e7e1a6e2de3a136fd141b42fc2e8728f14f','c03500e5ce7739fc70c3d1399677975d3f6f5ab97d67b9978927cfe53c4863a7');
CREATE TABLE audit_head (
	id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	row_hash VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO audit_head VALUES(1,3,'c03500e5ce7739fc70c3d1399677975d3f6f5ab97d67b9978927cfe53c4863a7');
CREATE TABLE learned_models (
	version INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	created_by VARCHAR(255) NOT NULL, 
	base_model_id VARCHAR(128) NOT NULL, 
	rule_set_version INTEGER, 
	decisions INTEGER NOT NULL, 
	rejections INTEGER NOT NULL, 
	last_decision_id INTEGER, 
	weights BLOB NOT NULL, 
	weights_sha256 VARCHAR(64) NOT NULL, 
	metrics JSON NOT NULL, 
	PRIMARY KEY (version)
);
CREATE TABLE sites (
	id INTEGER NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	url TEXT NOT NULL, 
	username VARCHAR(255) NOT NULL, 
	password_source VARCHAR(8) NOT NULL, 
	password_ref TEXT NOT NULL, 
	reject_as VARCHAR(16) NOT NULL, 
	premoderate BOOLEAN DEFAULT '0' NOT NULL, 
	comments_cursor VARCHAR(40), 
	posts_cursor VARCHAR(40), 
	last_sync_at DATETIME, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
CREATE TABLE api_clients (
	id INTEGER NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	webhook_url TEXT, 
	webhook_secret_ref VARCHAR(1024), 
	webhook_cursor INTEGER DEFAULT '0' NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
CREATE TABLE policy_clauses (
	article_id VARCHAR(32) NOT NULL, 
	clause_id VARCHAR(128) NOT NULL, 
	position INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	PRIMARY KEY (article_id, clause_id), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);
INSERT INTO policy_clauses VALUES('25db9147e8023e36','comments-are-welcomed-and-encouraged',0,'Comments are welcomed and encouraged.');
INSERT INTO policy_clauses VALUES('25db9147e8023e36','no-profanity',1,'Though you are fully responsible for the content you post, comments that include profanity will not be permitted.');
INSERT INTO policy_clauses VALUES('25db9147e8023e36','no-personal-attacks',2,'Though you are fully responsible for the content you post, comments that include personal attacks will not be permitted.');
INSERT INTO policy_clauses VALUES('25db9147e8023e36','no-inappropriate-material',3,'Though you are fully responsible for the content you post, comments that include other inappropriate material will not be permitted.');
INSERT INTO policy_clauses VALUES('25db9147e8023e36','may-block-violators',4,'Asbarez reserves the right to block users who violate any of our posting standards and policies.');
CREATE TABLE comments (
	id VARCHAR(32) NOT NULL, 
	article_id VARCHAR(32) NOT NULL, 
	parent_id VARCHAR(32), 
	position INTEGER NOT NULL, 
	number VARCHAR(16), 
	author VARCHAR(255), 
	author_id INTEGER, 
	kind VARCHAR(16) NOT NULL, 
	depth INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	text_hash VARCHAR(64) NOT NULL, 
	posted_at VARCHAR(40), 
	platform_status VARCHAR(16), 
	status VARCHAR(16) DEFAULT 'unmoderated' NOT NULL, 
	decided_by VARCHAR(255), 
	decided_at DATETIME, 
	version INTEGER DEFAULT '1' NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE, 
	FOREIGN KEY(parent_id) REFERENCES comments (id) ON DELETE SET NULL, 
	FOREIGN KEY(author_id) REFERENCES authors (id)
);
INSERT INTO comments VALUES('d6f5fd9a210b94c4','25db9147e8023e36',NULL,0,'1','gary',22,'comment',0,'Turkey would never do this because this could start WW3. The US also doesn’t want WW3.','3b3526be058d3613a6def0f33ff9000347ef1d615af94f9c15334f4278cec36d',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('711456299d27424e','25db9147e8023e36','d6f5fd9a210b94c4',1,NULL,'Avery',6,'comment',1,replace('‘Could back Azerbaijan’ does not imply invasion.\nThese announcements are nothing but hot air issued by various ‘Think Tanks’ for presumed\npsychological warfare purposes.\n\nAnd there nothing new about Turkey backing Azerbaijan:\n\nDuring Artsakh’s War of Survival and Liberation Turkey did in fact massively back Azerbaijan.\n– NATO trained Turkish officers were in Baku advising Azeris.\n– Hundreds of Grey Wolves irregulars were sent by Turkey to fight alongside Azeri Tatars.\n– Massive amounts of war materiel constantly went from Turkey to Azerbaijan.\n– Turkish transport planes violated Southern Armenia’s airspace several times on their way\nto Baku.(NOTE: they will not be able to do that now).\n– Turks took care of the Azeri WIA and their own wounded in occupied Northern Cyprus\n– And in 1993, they massed a whole Army on the border of Armenia threatening to invade,\nbecause that year Azeris were on the ropes and were facing massive defeat.\n– Russian General Staff sent the Turks a “Hi there” msg: Turks went back to their barracks, fast.\n– Azeris were reduced to sending untrained 16 and 17 year olds to the front: they were mowed\ndown by the hundreds.\n– With no Azeri army left to fight, and Artsakh’s tanks poised to race to Baku unimpeded,\nHaydar Aliev had no choice but to ask Artsakh’s leadership for a cease fire in 1994.\n\nThat’s right: Aliev was the one practically begging world powers to “…stop the Armenians…”','\n',char(10)),'37d6c8e54c62764321f0f9a6e6e822093dcce7210757f216e05b5948a8fc620a',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('e75bd4b2e2bcce78','25db9147e8023e36','d6f5fd9a210b94c4',2,NULL,'Aram',3,'comment',1,'What makes you so sure, it will start WW3? maybe it will start Genocide II, and the world will still debate/condemn/recognize after 100 years that Genocide I was real but Genocide II was just a war between two countries one backed from the Turkish horde and the Muslim Terrorist. The other was believed to be the first Christian nation that all other nations where so busy and just forgot to support.','8bffd205003438cb10bf04c06906c60e258a0c509fa816829cb41e32d810920e',NULL,NULL,'pending',NULL,NULL,2,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('be97d536bf1c367f','25db9147e8023e36',NULL,3,'2','George Apelian',10,'comment',0,'','e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('148bd335210872b2','25db9147e8023e36',NULL,4,'3','Danoog',7,'comment',0,'At least this exposes Turkey’s true colors. These people wanted to mediate the Karabakh conflict. Give me a break.','1f43403189c10302a6c4f5e6b3b500378498b1932b144065723297739e5f6f77',NULL,NULL,'rejected','demo','2026-12-03 06:59:36.967939',2,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('5a323853bf082826','25db9147e8023e36','148bd335210872b2',5,NULL,'.......',1,'comment',1,'Its guna be Armenia and azeri If turkey gets involved So does russia and then Us Thats enough to call it a world war','e64962e60f21e83212ac0fb6d730c42b60c0fa86c7f39c131cb3a17ffc3d7cd7',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('b67c08cb920fef68','25db9147e8023e36',NULL,6,'4','Vacheh',16,'comment',0,'If Turkey initiates a direct confrontation with Armenia, they stand a good chance to lose Kars, Ardahan, Surmaloo, and Igdir regions to Russia / Amenia, thus returning to pre-1921 borders and also dragging NATO into the mix. The above ignorant individual should realize that such empty claims might please Azeri listeners / viewers, but it has no buyer among Armenians.','3682cd0800b65ae66b3214c7698866fd0077bd54f05c5775b3d5c31d36c328d1',NULL,NULL,'pending',NULL,NULL,2,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('de409a829309d961','25db9147e8023e36',NULL,7,'5','Alex Postallian',2,'comment',0,'YELLOW STAIN turkey will not start or back its brother in crime.YELLOW STAIN is afraid of the Big Bear.YELLOW STAIN WILL ONLY attack a much smaller country,without arms,or unarmed women and children,old people.They got the YELLOW STAIN nomer in WW1.After being defeated by two equal forces,they got on their knees.Hence the name of YELLOW STAIN is both fitting and appropos.','bce6d384a0305d1dbe00704183d5740ecf8f88810ad814eee9c16fac2fe406ea',NULL,NULL,'pending',NULL,NULL,2,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('decfe3071c9b75e7','25db9147e8023e36',NULL,8,'6','Armanen',4,'comment',0,'What Gary said, and neither country has ratified the treaty which they signed last year. Talk is cheap!','2185446e8764044bfa3b2715bd35c1c383d2382bf776e663338d041945acad42',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('4abdd943756ab1c1','25db9147e8023e36',NULL,9,'7','Armenian',5,'comment',0,replace('Mr. Bulent are you familiar with history?\nSir,Turkey should think twice. Russian never ever let it happened .','\n',char(10)),'6fcf1db1055506c72286013a19f3af47f8b5c3495e42f6d4a3f43d7cc6fb2a38',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('b68b1196ab4e4712','25db9147e8023e36',NULL,10,'8','immortal Souls of western Armenia risen',23,'comment',0,'the thing is here we are with Turkey still thinking they are important in the region and wanting everyone else to agree with it.. the two Genocidal states have to stick together, that’s in our favor as always, because one of the things they want is for us to separate the Turkish Genocide of Armenians from the one committed by Azerbaijan by their brothers against Armenians. But see if at each turn in the road they keep saying they are together, and stand for each other, then we have every right to connect one Genocide with the next they are the same they claim to be brothers then the Genocides are connected. these people on our ether side are simply very primitive. It’s not our fault, or doing.. that’s their heritage and destiny… its not easy to find a language or understanding when there is no common meeting of minds so. we simply have to keep waiting till they someday hopefully wake up.','d8e18167c8265e00d7076cb4ea7c4a3709b4bbedf462201b0462a9122dd125a2',NULL,NULL,'pending',NULL,NULL,2,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('af598d8baea5370d','25db9147e8023e36',NULL,11,'9','Seervart',15,'comment',0,'I think if this happens, Russia would bud in and won’t let it happen, just like in the past.','5e3d76ed17ae97376d840bbc35d6960eaf9a48fb03ada1468dcb6cb961b53a9c',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('d898e5da19ef1305','25db9147e8023e36',NULL,12,'10','zohrab',27,'comment',0,'if you think turkey didnt the first time think again he has blood on his hands.however let them try they know if they could theywould have done so already but both kakare pantalone','6e4bb93c3e9639a7bd4f5d4e4077eeeca00c0257c01a36b4c93da24c927f062a',NULL,NULL,'pending',NULL,NULL,2,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('1de5aa132d9656ba','25db9147e8023e36',NULL,13,'11','craig markarian',20,'comment',0,'Armenia’s leaders should be UP IN ARMS in response to this statement, bring international attention to this real threat and call on US, Russia and the EU for assurances on Turkish neutrality if indeed Azerbaijan breaks the treuce.','f2be4b510b773b40808a939e20d28b71e425498243b82cca4f172df256e68be1',NULL,NULL,'approved','demo','2026-12-03 06:59:36.977452',2,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('cad5a030b1e04772','25db9147e8023e36',NULL,14,'12','HartRay',11,'comment',0,'Turkey was providing military assistance to Azerbaijan in the previous war…….. guess what today we do have 20% of Azerbaijan.','ebbaf042f33dd73896606bb4a86b80945f2f6b1da8c6a48e1996b5b5511d8b1b',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('71ea9aa85d1b5198','25db9147e8023e36',NULL,15,'13','Ed',8,'comment',0,'Either this Turkish official is joking or he is trying to mislead the international community … As if Turkey were not already part of the problem and party to the “karabakh war” still form the beginning – in 90´s! Beside this the banana republic /kanat of “Azerbaijani” was created by the Turkish war lord Nuri Pasha in 1900´s as the term “Azeri” was created by the Stalin in 1940´s …','c4d62d21afa36b396acf755cfba4feb47c9f9533cc0566bf757996c341c99116',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('bab73e23139b6cde','25db9147e8023e36',NULL,16,'14','Vahan Vanagan',17,'comment',0,replace('Global war it will be if Turkey is involved in an eventual war, on the side of Azerbaijan against Armenia. Considering that Armenia will not be alone, such a war will be the beginning of liberation war of Armenian territories, to Van, Erzurum, Erzincan, to Trabzon, as the first step. Of course, in addition, to the east, liberation of territories of Armenian Paydagaran, up to the Caspian see.\nI do not believe that the Turk-Azeri Nomads will dare to start a Global War. To win Artsakh the risk is too big for Turk-Azeri Nomads, descendants of Timour Leng (Topal Hassan) and Alpaslan.\nVahan Vanagan','\n',char(10)),'fe641fee6661da8172af30cc1a8df2195c8b3ecc95140650d0fcb68de8c6254f',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('89b637593b8032e1','25db9147e8023e36',NULL,17,'15','arziv',19,'comment',0,'WW3 ??, rein in your horses. No one will start world war 3 because of us. We are too small to cause a world cataclism. Turkey will assist Azerbaijan, Russia will assist Armenia, Iran will assist Armenia ?. Armenia and Azeris will slog it out, Azeris will accomplish nothing , Armenia will thwart Azeris , and the satus quo will continue.','8522715d63c7da2edb5d087178f10c7a7148bcbc7fd67a72f694b9a8849f8d5a',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('9133f2ccfe43ade4','25db9147e8023e36',NULL,18,'16','art hagopian',18,'comment',0,'President Ozal of Turkey during the war in 1992 announced that if armenia continued the war Turkey would teach her a lesson “like 1915″ his words. Within hours the chief of staff of the russian army announced that if Turkey moved one foot in armenian territory it would be the start of World war III. The americans pulled Ozal back prompto.','b90c4af6d3c588e3940a7717e4fa6391786bdd0cbbdc5bd5c36d348238dbf321',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('865d4dc148d9fc59','25db9147e8023e36',NULL,19,'17','MMA HUB INFO',NULL,'pingback',0,'MMA HUB INFO » News about Ankara issue #1_MMA HUB INFO','be836d80d18546072723a05b129dee144791099461b309cbe0629d3e7f8a62ef',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('4c0ba9c368cb3bab','25db9147e8023e36',NULL,20,'18','Mihran',13,'comment',0,'The Russions would get a good reason to clean Turkey once for all!','619536babadb52cd475a435332ee5e546339cea67e94ed0d5117ba649edecc92',NULL,NULL,'pending',NULL,NULL,2,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('ff8c96df6bb4356a','25db9147e8023e36','4c0ba9c368cb3bab',21,NULL,'yavuz',26,'comment',1,replace('yes you right, armenia is exactly vital to russia…\nforeign trade with turkey increasing to 30 biliion per year\ngas and petroleum from azerbaidjan, kazakhistan,turkmenistan increasing speedly, and for sure turkmenistan and kazakhistan would support armania in a such a war scenario…\nyou are so much basing your all defence scenarios over russia that in return giving so much privillegiums to russia that soon you will be a property of russia… and for sure russia will keep armenian interest firs and its own….\nany way i am a turk and i am sorry for the historical fact lived in the past and i hope there would be plausible ways of solutions that we can live together as we have to due to neighbourhood….\ni have nothing against armenians and all the armenians wellcome to turkey or my house sincerely','\n',char(10)),'4364220e1d2e5c75c97bc93ba36cbd2f8bc6f520098945f0e87cd180bba97c97',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('c99cc1c7262a1164','25db9147e8023e36',NULL,22,'19','Lusik',12,'comment',0,replace('1. Azerbaijan will never ask for help because Turkey will “steal” Nakhichevan from them if asked to intervene.\n2. The risk of war is high. But Azerbaijan is scared to start war without clear assurances that somebody will fight instead of them for victory. Azerbaijan Soviet Socialistic Republic was formed during late 20th of 20th century. There is no such entity “Azerbaijan” on ancient maps. There is no such nation “Azeri”. Population of Azerbaijan is heterogeneous. Azeris do not have experience of protecting their land and dignity. Their participation in the WW2 was miserable. They lost war to Artsakh, and signed ceasefire agreement.\n3. Who is afraid of shadow should not speak of the night.','\n',char(10)),'fd9ba76c4bf6e11c69bee9affdafb48c28bef9e16d864da83cd8c99afa9f17d6',NULL,NULL,'pending',NULL,NULL,2,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('1fa3003c79e99cef','25db9147e8023e36',NULL,23,'20','nana',25,'comment',0,replace('“The deal was signed in Baku just days before Armenia and Russia agreed to further deepen their militaries ties.”\nAzerbaijan is facing turmoil a la Egypt. So, all “deals” will vanish.','\n',char(10)),'06692eb087855110cb280c64f07fa9b72633cb300b4fb42e9cdddea24f38f327',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('55da8c3b5db9e4bd','25db9147e8023e36',NULL,24,'21','facts',21,'comment',0,replace('Ankara is more concern about the ability of regime in Baku to survive that about “karabakh” – The military in Ankara is a kind of “presidential card” for the ruling regime in Baku – Karbakh would be in these case nothing but a “justification toool” !\n\nMost probably the ruling regime in Baku will need the support of Turkey to remain in power, in case of unrest against the ruling regime. In such case Karbakh issue could be abused by Baku and Ankara! Other reason of making such statement by Ankara is: In case ruling regime in Baku would make a decision to committee suicide and start a war against Karabakh, this would be a real treat to “territorial integrity of Azerbaijani”- to north and to south. Baku could rely only on Ankara to prevent a situation like Libya and Arabic world – Ankara likes to have the option by abusing “Karabakh” to send troops to Azerbaijanis republic, if the regime in Baku – for any reason/domestic reasons – would not be able to survive!','\n',char(10)),'b03d4c5459b70181f5be3278a5111741dfa65585271152ccfa9218e9f9a0669b',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('7a4d6ff4f553075c','25db9147e8023e36',NULL,25,'22','Fred',9,'comment',0,'Azerbaijan are arming themselves like they are getting ready for WW3. And the rest of the world are quite happily supplying them. Well there is only one answer. We need to put our Armenian heads together. Coalate all our Armenian scientist from around the world and begin a home Defence technology organisation. A state of the Art R&D facility developing advance military technology and military weoponary. We have the brain and the money to do this. We just need the will and the organisation. My dear compatriots. WW3 is inevitable. As long as we live next to barbarians we need to prepare for them.','66ac85ba6c37f9ddc0d9d3200a28836d73d00251a860925579aca3117b799a65',NULL,NULL,'pending',NULL,NULL,2,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('42c20ea029fe0a1b','25db9147e8023e36',NULL,26,'23','Fred',9,'comment',0,'We also need to develop our science based industries. Develop state of the art hospitals and medical research facilities and attract Armenian Doctors and scientists from all over the world to come and work in Armenia. A toorist industry based on Toorists comming to Armenia for medical and relaxing reasons. But I am not just talking medical. We should have research facilities covering all aspects of science and technology. Investmont in this field would yield untold amounts of profit. A new golden age of development in Armenia would result in an explotion of new technologies drqaging the world out of the 20th century it also would be beneficial for the whole world, who knows if we achieve all this we may be able to stop WW3!','4706adc0ac67ef3b94428f22b981825629186e11d0af13ea6419b59be4ea0905',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('cba43c8feebc5dd4','25db9147e8023e36',NULL,27,'24','manooshag',24,'comment',0,replace('a turkey was a loser in WWI when it joined war against Allies and lost many of its own citizens (not by Armenians) but nations warring WWI;\na turkey was not a loser in WWII since a turkey joined Allies ONLY at the very last moment when assured that Allies were the winners;\na turkey sends some military to participate in some actions (for show);\na turkey gains and steals lands, assets and more via Genocides as Genocides are ‘easier’ to gain goal of ‘turkey for turks only.’ Manooshag','\n',char(10)),'1a667cce9599db2a865650f8daa276632c00cf8de3416f4bad9529d902129677',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('4beb07ccc26bd8e1','25db9147e8023e36',NULL,28,'25','facts',21,'comment',0,replace('we have not forgotten as Turkish president Özall of Turkish-Kurdish origin was going to bomb Armenia in 90´s ..Well , he – “president Özel – took the bombs with himself to his grave – I hope with Endogen will happen the same !\n\nTurkey is palying wih fire! We Armenians and even Kurds should be ready!','\n',char(10)),'cfb8c33feb0a9c03c80872dd8118182073e825341e07a53dbb5ed702a06993de',NULL,NULL,'pending',NULL,NULL,2,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('7df404bcd997eac5','25db9147e8023e36',NULL,29,'26','.......',1,'comment',0,'hehehe not scared at all ww3 I dont support it But not scared there goal is to scare us','7a4f6d02042d25dd37ef8783feace7dd0b895ff90963d80eb2e1abe5a014483d',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
INSERT INTO comments VALUES('33aeff664aed2821','25db9147e8023e36',NULL,30,'27','Sanan',14,'comment',0,'armenia, do not be so sure of russian help))) this time russia will not help u, as russia now understands what a big mistake it made','cfb0cf22032d37bd32a891f3a876feb08f4661b828fb7d6310af4810776c899b',NULL,NULL,'unmoderated',NULL,NULL,1,'2026-12-03 06:59:29.658916','2026-12-03 06:59:29.658916');
CREATE TABLE rule_set_pointer (
	id INTEGER NOT NULL, 
	active_version INTEGER, 
	pending_version INTEGER, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(active_version) REFERENCES rule_sets (version), 
	FOREIGN KEY(pending_version) REFERENCES rule_sets (version)
);
INSERT INTO rule_set_pointer VALUES(1,1,NULL,'2026-12-03 06:59:29.167618');
CREATE TABLE author_changes (
	id INTEGER NOT NULL, 
	action_id INTEGER NOT NULL, 
	author_id INTEGER NOT NULL, 
	previous_status VARCHAR(16) NOT NULL, 
	previous_until DATETIME, 
	status VARCHAR(16) NOT NULL, 
	until DATETIME, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(action_id) REFERENCES moderator_actions (id), 
	FOREIGN KEY(author_id) REFERENCES authors (id)
);
CREATE TABLE remote_posts (
	site_id INTEGER NOT NULL, 
	remote_id INTEGER NOT NULL, 
	article_id VARCHAR(32) NOT NULL, 
	modified VARCHAR(40), 
	PRIMARY KEY (site_id, remote_id), 
	FOREIGN KEY(site_id) REFERENCES sites (id) ON DELETE CASCADE, 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);
CREATE TABLE api_tokens (
	id INTEGER NOT NULL, 
	client_id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	prefix VARCHAR(16) NOT NULL, 
	scopes VARCHAR(255) NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(client_id) REFERENCES api_clients (id) ON DELETE CASCADE, 
	UNIQUE (token_hash)
);
CREATE TABLE webhook_deliveries (
	id INTEGER NOT NULL, 
	client_id INTEGER NOT NULL, 
	event_seq INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER DEFAULT '0' NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	last_status_code INTEGER, 
	last_error TEXT, 
	delivered_at DATETIME, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_webhook_deliveries_event UNIQUE (client_id, event_seq), 
	FOREIGN KEY(client_id) REFERENCES api_clients (id) ON DELETE CASCADE
);
CREATE TABLE evaluations (
	comment_id VARCHAR(32) NOT NULL, 
	rule_set_version INTEGER NOT NULL, 
	model_id VARCHAR(128), 
	status VARCHAR(16) NOT NULL, 
	evaluated_at DATETIME NOT NULL, 
	PRIMARY KEY (comment_id, rule_set_version), 
	FOREIGN KEY(comment_id) REFERENCES comments (id) ON DELETE CASCADE, 
	FOREIGN KEY(rule_set_version) REFERENCES rule_sets (version)
);
INSERT INTO evaluations VALUES('d6f5fd9a210b94c4',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('711456299d27424e',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('e75bd4b2e2bcce78',1,'threadwatch-minilm-heads-cabc2f2fed50','pending','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('be97d536bf1c367f',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('148bd335210872b2',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('5a323853bf082826',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('b67c08cb920fef68',1,'threadwatch-minilm-heads-cabc2f2fed50','pending','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('de409a829309d961',1,'threadwatch-minilm-heads-cabc2f2fed50','pending','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('decfe3071c9b75e7',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('4abdd943756ab1c1',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('b68b1196ab4e4712',1,'threadwatch-minilm-heads-cabc2f2fed50','pending','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('af598d8baea5370d',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('d898e5da19ef1305',1,'threadwatch-minilm-heads-cabc2f2fed50','pending','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('1de5aa132d9656ba',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('cad5a030b1e04772',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('71ea9aa85d1b5198',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('bab73e23139b6cde',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('89b637593b8032e1',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('9133f2ccfe43ade4',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('4c0ba9c368cb3bab',1,'threadwatch-minilm-heads-cabc2f2fed50','pending','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('ff8c96df6bb4356a',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('c99cc1c7262a1164',1,'threadwatch-minilm-heads-cabc2f2fed50','pending','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('1fa3003c79e99cef',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('55da8c3b5db9e4bd',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('7a4d6ff4f553075c',1,'threadwatch-minilm-heads-cabc2f2fed50','pending','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('42c20ea029fe0a1b',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('cba43c8feebc5dd4',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('4beb07ccc26bd8e1',1,'threadwatch-minilm-heads-cabc2f2fed50','pending','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('7df404bcd997eac5',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
INSERT INTO evaluations VALUES('33aeff664aed2821',1,'threadwatch-minilm-heads-cabc2f2fed50','unmoderated','2026-12-03 06:59:30.025514');
CREATE TABLE flags (
	id INTEGER NOT NULL, 
	comment_id VARCHAR(32) NOT NULL, 
	rule_set_version INTEGER NOT NULL, 
	rule_id VARCHAR(128) NOT NULL, 
	category VARCHAR(64) NOT NULL, 
	clause_id VARCHAR(128) NOT NULL, 
	action VARCHAR(16) NOT NULL, 
	severity INTEGER DEFAULT '0' NOT NULL, 
	evidence JSON NOT NULL, 
	scores JSON NOT NULL, 
	model_id VARCHAR(128), 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_flags_comment_rule UNIQUE (comment_id, rule_set_version, rule_id), 
	FOREIGN KEY(comment_id) REFERENCES comments (id) ON DELETE CASCADE, 
	FOREIGN KEY(rule_set_version) REFERENCES rule_sets (version)
);
INSERT INTO flags VALUES(1,'e75bd4b2e2bcce78',1,'dehumanising-group','identity_attack','no-inappropriate-material','flag',4,'[{"start": 240, "end": 253, "text": "Turkish horde"}]','{}','threadwatch-minilm-heads-cabc2f2fed50','2026-12-03 06:59:30.025514');
INSERT INTO flags VALUES(2,'b67c08cb920fef68',1,'personal-attack','personal_attack','no-personal-attacks','flag',3,'[{"start": 225, "end": 254, "text": "The above ignorant individual"}]','{}','threadwatch-minilm-heads-cabc2f2fed50','2026-12-03 06:59:30.025514');
INSERT INTO flags VALUES(3,'de409a829309d961',1,'dehumanising-group','identity_attack','no-inappropriate-material','flag',4,'[{"start": 0, "end": 19, "text": "YELLOW STAIN turkey"}]','{}','threadwatch-minilm-heads-cabc2f2fed50','2026-12-03 06:59:30.025514');
INSERT INTO flags VALUES(4,'b68b1196ab4e4712',1,'dehumanising-people','identity_attack','no-inappropriate-material','flag',4,'[{"start": 615, "end": 671, "text": "these people on our ether side are simply very primitive"}]','{}','threadwatch-minilm-heads-cabc2f2fed50','2026-12-03 06:59:30.025514');
INSERT INTO flags VALUES(5,'d898e5da19ef1305',1,'profanity-armenian','profanity','no-profanity','flag',2,'[{"start": 164, "end": 170, "text": "kakare"}]','{}','threadwatch-minilm-heads-cabc2f2fed50','2026-12-03 06:59:30.025514');
INSERT INTO flags VALUES(6,'4c0ba9c368cb3bab',1,'threat','threat','no-inappropriate-material','hold',5,'[{"start": 40, "end": 65, "text": "clean Turkey once for all"}]','{}','threadwatch-minilm-heads-cabc2f2fed50','2026-12-03 06:59:30.025514');
INSERT INTO flags VALUES(7,'c99cc1c7262a1164',1,'nation-denial','identity_attack','no-inappropriate-material','flag',3,'[{"start": 394, "end": 417, "text": "There is no such nation"}]','{}','threadwatch-minilm-heads-cabc2f2fed50','2026-12-03 06:59:30.025514');
INSERT INTO flags VALUES(8,'7a4d6ff4f553075c',1,'dehumanising-people','identity_attack','no-inappropriate-material','flag',4,'[{"start": 549, "end": 572, "text": "live next to barbarians"}]','{}','threadwatch-minilm-heads-cabc2f2fed50','2026-12-03 06:59:30.025514');
INSERT INTO flags VALUES(9,'4beb07ccc26bd8e1',1,'threat','threat','no-inappropriate-material','hold',5,'[{"start": 176, "end": 224, "text": "grave \u2013 I hope with Endogen will happen the same"}]','{}','threadwatch-minilm-heads-cabc2f2fed50','2026-12-03 06:59:30.025514');
CREATE TABLE decisions (
	id INTEGER NOT NULL, 
	comment_id VARCHAR(32) NOT NULL, 
	action VARCHAR(16) NOT NULL, 
	clause_id VARCHAR(128), 
	note TEXT, 
	moderator VARCHAR(255) NOT NULL, 
	previous_status VARCHAR(16) NOT NULL, 
	previous_decided_by VARCHAR(255), 
	resulting_version INTEGER NOT NULL, 
	undone_at DATETIME, 
	rule_set_version INTEGER, 
	model_id VARCHAR(128), 
	created_at DATETIME NOT NULL, 
	action_id INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(comment_id) REFERENCES comments (id) ON DELETE CASCADE, 
	FOREIGN KEY(action_id) REFERENCES moderator_actions (id)
);
INSERT INTO decisions VALUES(1,'148bd335210872b2','reject','comments-are-welcomed-and-encouraged','legacy fixture','demo','unmoderated',NULL,2,NULL,NULL,NULL,'2026-12-03 06:59:36.967939',1);
INSERT INTO decisions VALUES(2,'1de5aa132d9656ba','approve',NULL,NULL,'demo','unmoderated',NULL,2,NULL,NULL,NULL,'2026-12-03 06:59:36.977452',2);
CREATE TABLE learned_predictions (
	model_version INTEGER NOT NULL, 
	comment_id VARCHAR(32) NOT NULL, 
	reject_probability FLOAT NOT NULL, 
	categories JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (model_version, comment_id), 
	FOREIGN KEY(model_version) REFERENCES learned_models (version) ON DELETE CASCADE, 
	FOREIGN KEY(comment_id) REFERENCES comments (id) ON DELETE CASCADE
);
CREATE TABLE remote_comments (
	site_id INTEGER NOT NULL, 
	remote_id INTEGER NOT NULL, 
	comment_id VARCHAR(32) NOT NULL, 
	remote_post_id INTEGER NOT NULL, 
	remote_parent_id INTEGER, 
	remote_status VARCHAR(16) NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	remote_date VARCHAR(40), 
	pulled_at DATETIME NOT NULL, 
	PRIMARY KEY (site_id, remote_id), 
	FOREIGN KEY(site_id) REFERENCES sites (id) ON DELETE CASCADE, 
	FOREIGN KEY(comment_id) REFERENCES comments (id) ON DELETE CASCADE
);
CREATE TABLE api_comments (
	comment_id VARCHAR(32) NOT NULL, 
	client_id INTEGER NOT NULL, 
	external_article_id VARCHAR(255) NOT NULL, 
	external_comment_id VARCHAR(255), 
	request_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (comment_id), 
	FOREIGN KEY(comment_id) REFERENCES comments (id) ON DELETE CASCADE, 
	FOREIGN KEY(client_id) REFERENCES api_clients (id) ON DELETE CASCADE
);
CREATE TABLE site_pushes (
	id INTEGER NOT NULL, 
	push_key VARCHAR(64) NOT NULL, 
	site_id INTEGER NOT NULL, 
	remote_id INTEGER NOT NULL, 
	comment_id VARCHAR(32) NOT NULL, 
	decision_id INTEGER, 
	kind VARCHAR(16) NOT NULL, 
	target_status VARCHAR(16) NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	attempts INTEGER DEFAULT '0' NOT NULL, 
	next_attempt_at DATETIME, 
	last_error TEXT, 
	answer JSON, 
	"conflict" JSON, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (push_key), 
	FOREIGN KEY(site_id) REFERENCES sites (id) ON DELETE CASCADE, 
	FOREIGN KEY(comment_id) REFERENCES comments (id) ON DELETE CASCADE, 
	FOREIGN KEY(decision_id) REFERENCES decisions (id) ON DELETE SET NULL
);
CREATE INDEX ix_revoked_sessions_expires ON revoked_sessions (expires_at);
CREATE INDEX ix_moderator_actions_moderator ON moderator_actions (moderator, id);
CREATE INDEX ix_audit_at ON audit_log (at);
CREATE INDEX ix_audit_target ON audit_log (target_type, target_id);
CREATE INDEX ix_comments_status ON comments (status);
CREATE INDEX ix_comments_author_id ON comments (author_id);
CREATE INDEX ix_comments_posted_at ON comments (posted_at);
CREATE INDEX ix_comments_article_position ON comments (article_id, position);
CREATE INDEX ix_comments_text_hash ON comments (text_hash);
CREATE INDEX ix_author_changes_author ON author_changes (author_id, id);
CREATE UNIQUE INDEX ix_remote_posts_article ON remote_posts (article_id);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX ix_evaluations_version ON evaluations (rule_set_version);
CREATE INDEX ix_flags_version_rule ON flags (rule_set_version, rule_id);
CREATE INDEX ix_flags_version_category ON flags (rule_set_version, category);
CREATE INDEX ix_decisions_action ON decisions (action_id);
CREATE INDEX ix_decisions_comment ON decisions (comment_id);
CREATE INDEX ix_decisions_created ON decisions (created_at);
CREATE INDEX ix_decisions_moderator ON decisions (moderator, id);
CREATE INDEX ix_learned_predictions_rank ON learned_predictions (model_version, reject_probability);
CREATE UNIQUE INDEX ix_remote_comments_comment ON remote_comments (comment_id);
CREATE INDEX ix_api_comments_client ON api_comments (client_id, comment_id);
CREATE INDEX ix_site_pushes_comment ON site_pushes (comment_id, id);
CREATE INDEX ix_site_pushes_due ON site_pushes (site_id, state);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id OR seq = NEW.seq) BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head WHEN NEW.id <> OLD.id OR NEW.seq <> OLD.seq + 1 BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END;
CREATE TRIGGER audit_head_no_replace BEFORE INSERT ON audit_head WHEN EXISTS (SELECT 1 FROM audit_head) BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END;
COMMIT;
