/**
 * Word lists the template miner reads (mask.ts, drain.ts): data, not rules. Changing them changes
 * group ids for the templates they touch.
 */

/** Last labels of host names: a dotted word ending in one is a host, a value. */
export const HOST_SUFFIXES = ['com', 'net', 'org', 'io', 'edu', 'gov', 'mil', 'int', 'info', 'biz', 'local', 'localdomain', 'localhost', 'internal', 'lan', 'home', 'corp', 'intranet', 'dev', 'cloud', 'ai', 'app', 'co', 'us', 'uk', 'de', 'fr', 'jp', 'cn', 'ru', 'nl', 'eu']

/** File name extensions: `chrome.exe`, `app.log` are values. */
export const FILE_EXTENSIONS = ['exe', 'dll', 'so', 'sys', 'bin', 'sh', 'bat', 'py', 'js', 'ts', 'rb', 'jar', 'war', 'log', 'txt', 'csv', 'json', 'xml', 'yaml', 'yml', 'conf', 'cfg', 'ini', 'pdf', 'png', 'jpg', 'jpeg', 'gif', 'zip', 'gz', 'tar', 'tmp', 'dat', 'db', 'sock', 'pid']

/** Units that belong to the number before them ("93.0 B", "45 ms"). */
export const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'kb', 'Kb', 'Mb', 'Gb', 'Tb', 'byte', 'bytes', 'ms', 'us', 'µs', 'ns', 's', 'sec', 'secs', 'second', 'seconds', 'min', 'mins', 'minute', 'minutes', 'h', 'hour', 'hours', '%']

/** Words after which a value comes ("user root", "for alice", "host db1"). */
export const NAMING_WORDS = [
  'user', 'users', 'username', 'login', 'logname', 'account', 'uid', 'gid', 'group', 'owner', 'by', 'for', 'from', 'on', 'at',
  'host', 'hostname', 'node', 'server', 'client', 'peer', 'address', 'addr', 'ip', 'domain', 'device', 'interface', 'port', 'name', 'named', 'called', 'id',
  'file', 'path', 'dir', 'directory', 'table', 'database', 'db', 'schema', 'queue', 'topic', 'channel', 'bucket', 'key', 'service', 'job', 'task', 'container', 'pod', 'session', 'tenant', 'project', 'app', 'application', 'package', 'module', 'plugin',
]
