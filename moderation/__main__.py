from moderation.cli import main

raise SystemExit(main())
