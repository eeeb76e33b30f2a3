"""A real WordPress for the connector's tests: Debian's ``wordpress`` package, MariaDB and PHP's
built-in server, all on loopback in one throwaway folder, installed headless through php-cli.

Nothing here touches the system's own WordPress or MariaDB configuration: the WordPress tree is
copied (Debian's ``wp-config.php`` reads /etc/wordpress; ours is written into the copy), and
MariaDB runs from its own data directory, as the ``mysql`` user when the tests run as root.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

WORDPRESS_TREE = Path("/usr/share/wordpress")
# How long a service may take to start on a loaded 2-core machine before the fixture gives up.
START_TIMEOUT_S = 120.0


def missing_parts() -> str | None:
    """Why a real WordPress cannot run here, or None."""
    needs = {
        "php (apt-get install php-cli php-mysql)": shutil.which("php"),
        "mariadbd/mysqld (apt-get install mariadb-server)": shutil.which("mariadbd")
        or shutil.which("mysqld")
        or (Path("/usr/sbin/mariadbd").exists() and "/usr/sbin/mariadbd"),
        "mariadb-install-db": shutil.which("mariadb-install-db")
        or shutil.which("mysql_install_db"),
        "/usr/share/wordpress (apt-get install wordpress)": (
            WORDPRESS_TREE / "wp-settings.php"
        ).exists(),
    }
    absent = [name for name, found in needs.items() if not found]
    if not absent:
        probe = subprocess.run(
            ["php", "-r", "echo extension_loaded('mysqli') ? 'yes' : 'no';"],
            capture_output=True,
            text=True,
        )
        if probe.stdout.strip() != "yes":
            absent.append("PHP's mysqli extension (apt-get install php-mysql)")
    if absent:
        return "a real WordPress needs " + ", ".join(absent)
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{_tail(log)}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} not open after {START_TIMEOUT_S:.0f}s:\n{_tail(log)}")


def _tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass(frozen=True)
class Account:
    username: str
    password_file: Path  # an application password, as a site owner would save it


_WP_CONFIG = """<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'wp');
define('DB_PASSWORD', '{db_password}');
define('DB_HOST', '127.0.0.1:{db_port}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{keys}
// Application passwords are offered over plain http only on a "local" site.
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_HOME', 'http://127.0.0.1:{port}');
define('WP_SITEURL', 'http://127.0.0.1:{port}');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_DEBUG', false);
$table_prefix = 'wp_';
if (!defined('ABSPATH')) {{ define('ABSPATH', __DIR__ . '/'); }}
require_once ABSPATH . 'wp-settings.php';
"""

# Loaded before pluggable.php: installing must not try to send mail. The site also writes down
# every status change it makes to a comment, whoever asked: the tests read that to see that a
# decision reached the site exactly once.
_MU_PLUGIN = """<?php
function wp_mail() { return true; }
add_action('wp_set_comment_status', function ($id, $status) {
    file_put_contents(ABSPATH . 'status-changes.log', "$id $status\\n", FILE_APPEND | LOCK_EX);
}, 10, 2);
"""

# PHP's built-in server: real files as they are, every other path to WordPress's front
# controller, as a web server's rewrite rules do (so /wp-json/... works like on a real site).
_ROUTER = """<?php
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path !== '/' && is_file(__DIR__ . $path)) { return false; }
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
require __DIR__ . '/index.php';
"""

_INSTALL = """<?php
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '127.0.0.1:__PORT__';
$_SERVER['REQUEST_URI'] = '/';
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$installed = wp_install('Threadwatch test site', 'admin', 'admin@example.test', false, '',
    wp_generate_password(24));
update_option('permalink_structure', '/%postname%/');
update_option('comment_moderation', '0');
update_option('comment_previously_approved', '0');
$editor = wp_insert_user(array(
    'user_login' => 'moderator', 'user_email' => 'moderator@example.test',
    'user_pass' => wp_generate_password(24), 'role' => 'editor',
));
if (is_wp_error($editor)) { fwrite(STDERR, $editor->get_error_message()); exit(1); }
$out = array();
foreach (array('admin' => $installed['user_id'], 'moderator' => $editor) as $name => $id) {
    $made = WP_Application_Passwords::create_new_application_password($id,
        array('name' => 'threadwatch-tests'));
    if (is_wp_error($made)) { fwrite(STDERR, $made->get_error_message()); exit(1); }
    $out[$name] = $made[0];
}
echo json_encode($out);
"""


class WordPressServer:
    """MariaDB + WordPress + PHP's server; ``stop_web``/``start_web`` take the site down and up."""

    def __init__(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="threadwatch-wp-"))
        self.workdir.chmod(0o755)
        self.db_port = free_port()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.docroot = self.workdir / "wordpress"
        self._db: subprocess.Popen[bytes] | None = None
        self._web: subprocess.Popen[bytes] | None = None
        self.accounts: dict[str, Account] = {}

    # -- MariaDB ----------------------------------------------------------------------------
    def start_db(self) -> None:
        run = self.workdir / "mysql-run"  # socket, pid file and log: written by the server
        data = self.workdir / "mysql"
        as_root = os.geteuid() == 0
        for folder in (run, data):
            folder.mkdir()
            if as_root:
                # mysqld refuses to run as root: it drops to the mysql user, which owns these.
                shutil.chown(folder, "mysql", "mysql")
        user = ["--user=mysql"] if as_root else []
        install = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
        assert install
        subprocess.run(
            [
                install,
                "--no-defaults",
                f"--datadir={data}",
                *user,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ],
            check=True,
            capture_output=True,
        )
        server = shutil.which("mariadbd") or shutil.which("mysqld") or "/usr/sbin/mariadbd"
        self.socket = run / "mysql.sock"
        log = run / "mysql.log"
        self._db = subprocess.Popen(
            [
                server,
                "--no-defaults",
                f"--datadir={data}",
                *user,
                "--bind-address=127.0.0.1",
                f"--port={self.db_port}",
                f"--socket={self.socket}",
                f"--pid-file={run / 'mysql.pid'}",
                f"--log-error={log}",
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=32M",
                "--innodb-log-file-size=8M",
                "--innodb-flush-log-at-trx-commit=0",
                "--performance-schema=OFF",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.db_port, self._db, log)
        self.db_password = secrets.token_hex(12)
        client = shutil.which("mariadb") or shutil.which("mysql") or "mariadb"
        sql = (
            "CREATE DATABASE wordpress CHARACTER SET utf8mb4;"
            f"CREATE USER 'wp'@'127.0.0.1' IDENTIFIED BY '{self.db_password}';"
            "GRANT ALL ON wordpress.* TO 'wp'@'127.0.0.1';"
        )
        made = subprocess.run(
            [client, "--no-defaults", f"--socket={self.socket}", "-uroot", "-e", sql],
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            raise RuntimeError(f"creating the WordPress database failed: {made.stderr}")

    # -- WordPress ----------------------------------------------------------------------------
    def install(self) -> None:
        shutil.copytree(WORDPRESS_TREE, self.docroot, symlinks=True)
        (self.docroot / "wp-config.php").unlink()
        keys = "\n".join(
            f"define('{name}', '{secrets.token_hex(32)}');"
            for name in (
                "AUTH_KEY",
                "SECURE_AUTH_KEY",
                "LOGGED_IN_KEY",
                "NONCE_KEY",
                "AUTH_SALT",
                "SECURE_AUTH_SALT",
                "LOGGED_IN_SALT",
                "NONCE_SALT",
            )
        )
        (self.docroot / "wp-config.php").write_text(
            _WP_CONFIG.format(
                db_password=self.db_password, db_port=self.db_port, keys=keys, port=self.port
            )
        )
        mu = self.docroot / "wp-content" / "mu-plugins"
        mu.mkdir(parents=True, exist_ok=True)
        (mu / "threadwatch-tests.php").write_text(_MU_PLUGIN)
        (self.docroot / "router.php").write_text(_ROUTER)
        script = self.docroot / "threadwatch-install.php"
        script.write_text(_INSTALL.replace("__PORT__", str(self.port)))
        done = subprocess.run(
            ["php", str(script)], cwd=self.docroot, capture_output=True, text=True, timeout=300
        )
        script.unlink()
        if done.returncode != 0:
            raise RuntimeError(f"wp_install failed: {done.stderr or done.stdout}")
        passwords = json.loads(done.stdout[done.stdout.index("{") :])
        secrets_dir = self.workdir / "secrets"
        secrets_dir.mkdir(mode=0o700)
        for name, password in passwords.items():
            path = secrets_dir / f"{name}.password"
            path.write_text(password + "\n")
            path.chmod(0o600)
            self.accounts[name] = Account(name, path)

    def start_web(self) -> None:
        log = self.workdir / "php.log"
        self._web = subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{self.port}", "-t", str(self.docroot), "router.php"],
            cwd=self.docroot,
            stdout=open(log, "ab"),  # noqa: SIM115 (the server process owns it)
            stderr=subprocess.STDOUT,
        )
        _wait_for_port(self.port, self._web, log)

    @property
    def serving(self) -> bool:
        return self._web is not None

    def maintenance(self, on: bool) -> None:
        """WordPress's own maintenance mode (as during an upgrade): every request is answered
        503 with Retry-After: 600."""
        flag = self.docroot / ".maintenance"
        if on:
            flag.write_text("<?php $upgrading = time(); ?>")
        else:
            flag.unlink(missing_ok=True)

    def stop_web(self) -> None:
        if self._web is not None:
            self._web.terminate()
            try:
                self._web.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._web.kill()
                self._web.wait()
            self._web = None

    def start(self) -> WordPressServer:
        try:
            self.start_db()
            self.install()
            self.start_web()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self.stop_web()
        if self._db is not None:
            self._db.terminate()
            try:
                self._db.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._db.kill()
                self._db.wait()
            self._db = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    # -- what the tests do as the site's own users (WordPress's REST API, not ours) -----------
    def client(self, account: str = "admin") -> httpx.Client:
        user = self.accounts[account]
        return httpx.Client(
            base_url=f"{self.url}/wp-json/wp/v2",
            auth=(user.username, user.password_file.read_text().strip()),
            timeout=60,
        )

    def status_changes(self, remote_id: int) -> list[str]:
        """Every status the site set on one comment, in order (from the site's own hook)."""
        log = self.docroot / "status-changes.log"
        if not log.exists():
            return []
        lines = (line.split() for line in log.read_text().splitlines())
        return [status for found, status in lines if int(found) == remote_id]

    def log(self) -> str:
        return _tail(self.workdir / "php.log")
