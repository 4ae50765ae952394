# What an untrusted app of one team tries from inside its instance, door by door: the platform's
# files and another team's, the platform's ports and another team's instance, the host's processes,
# writing outside its own directories, and becoming root. It prints one line "ESCAPE <json>" with
# what each attempt got, then serves HTTP on $PORT so that its instance turns ready.
#
# PROBE_FILES    name=path,...       each must be neither seen nor read
# PROBE_TARGETS  name=host:port,...  "gateway" is the container's default route (the host's side)
# PROBE_PIDS     name=pid,...        host processes: each must be neither seen nor signalled
# PROBE_WRITES   path,...            each must refuse a new file
import errno
import http.server
import json
import os
import socket
import subprocess
import time


def pairs(name):
    return [item.split('=', 1) for item in filter(None, os.environ.get(name, '').split(','))]


def gateway():
    for line in open('/proc/net/route').read().splitlines()[1:]:
        fields = line.split()
        if fields[1] == '00000000':
            return socket.inet_ntoa(bytes.fromhex(fields[2])[::-1])
    return None


def outcome(action):
    try:
        action()
        return 'done'
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))


def read(path):
    with open(path, 'rb') as f:
        f.read(1)


def connect(host, port):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((host, int(port)))
        return 'open'
    except socket.timeout:
        return 'timeout'
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
    finally:
        s.close()


def create(directory):
    with open(os.path.join(directory, 'escaped-%d' % os.getpid()), 'w') as f:
        f.write('x')


def setuid_binary_euid():
    # passwd is setuid root: while it waits for a password, its effective uid says whether the bit took
    p = subprocess.Popen(['/usr/bin/passwd'], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        for line in open('/proc/%d/status' % p.pid):
            if line.startswith('Uid:'):
                return int(line.split()[2])
    except OSError:
        return None
    finally:
        p.kill()
        p.wait()


def status(field):
    for line in open('/proc/self/status'):
        if line.startswith(field + ':'):
            return line.split()[1]


gw = gateway()
own = os.path.join(os.getcwd(), 'mine')
raw = lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP).close()
result = {
    'uid': os.getuid(),
    'capEff': status('CapEff'),
    'noNewPrivs': status('NoNewPrivs'),
    'seccomp': status('Seccomp'),
    'files': {name: {'exists': os.path.exists(path), 'read': outcome(lambda: read(path))} for name, path in pairs('PROBE_FILES')},
    'targets': {name: connect(gw if t.split(':')[0] == 'gateway' else t.split(':')[0], t.split(':')[1])
                for name, t in pairs('PROBE_TARGETS')},
    'processes': sorted(int(d) for d in os.listdir('/proc') if d.isdigit()),
    'signals': {name: outcome(lambda: os.kill(int(pid), 0)) for name, pid in pairs('PROBE_PIDS')},
    'writes': {path: outcome(lambda: create(path)) for path in filter(None, os.environ.get('PROBE_WRITES', '').split(','))},
    'ownWrites': {path: outcome(lambda: create(path)) for path in ['/tmp', os.getcwd()]},
    'setuid0': outcome(lambda: os.setuid(0)),
    'setuidBinaryEuid': setuid_binary_euid(),
    'chownToRoot': outcome(lambda: (open(own, 'w').close(), os.chown(own, 0, 0))),
    'rawSocket': outcome(raw),
    'bindPort80': outcome(lambda: socket.socket().bind(('0.0.0.0', 80))),
}
print('ESCAPE ' + json.dumps(result), flush=True)
http.server.HTTPServer(('0.0.0.0', int(os.environ['PORT'])), http.server.SimpleHTTPRequestHandler).serve_forever()
