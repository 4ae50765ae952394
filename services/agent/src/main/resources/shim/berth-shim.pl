#!/usr/bin/perl
# berth-shim: the one small process that sits between the agent and an instance, like
# containerd-shim or Nomad's executor. It owns the instance's stdout/stderr so the instance
# survives an agent restart, writes them as a CRI-format log file, forwards SIGTERM to the
# instance's whole process group, and records how the instance ended.
#
#   berth-shim.pl <instance-dir> <log-file> <command> [args...]
#
# BERTH_SHIM_CGROUP_PROCS (colon-separated cgroup.procs files) names the cgroups that hold the
# instance's limits: the instance joins them before its command runs; the variable is not passed on.
#
# In <instance-dir> it writes: app.pid (the instance's pid = its process group id) once
# started, and exit ("exit <code>" or "signal <n>") when the instance has ended.
# Log lines: "<RFC 3339 UTC, ns> <stdout|stderr> <F|P> <text>"; a line longer than
# MAX_LINE is split into P(artial) pieces ending with an F(ull) one, as the kubelet does.
use strict;
use warnings;
use POSIX qw(setsid setpgid WNOHANG _exit);
use Time::HiRes qw(clock_gettime CLOCK_REALTIME);
use IO::Select;

my $MAX_LINE = 16 * 1024;
my ($dir, $log_path, @command) = @ARGV;
die "usage: berth-shim.pl <instance-dir> <log-file> <command> [args...]\n" unless @command;

my @cgroup_procs = grep { length } split(/:/, delete($ENV{BERTH_SHIM_CGROUP_PROCS}) // '');

setsid();
open(my $log, '>>', $log_path) or die "berth-shim: cannot open $log_path: $!\n";
binmode($log);

pipe(my $out_r, my $out_w) or die "pipe: $!";
pipe(my $err_r, my $err_w) or die "pipe: $!";
my $child = fork();
die "fork: $!" unless defined $child;
if ($child == 0) {
    setpgid(0, 0);
    close($out_r);
    close($err_r);
    open(STDIN, '<', '/dev/null');
    open(STDOUT, '>&', $out_w) or _exit(127);
    open(STDERR, '>&', $err_w) or _exit(127);
    for my $procs (@cgroup_procs) {
        # an instance that cannot be held to its limits does not run: that would hide the problem
        my $fh;
        my $joined = open($fh, '>>', $procs) && print($fh "$$\n") && close($fh);
        unless ($joined) {
            print STDERR "berth-shim: cannot join the cgroup $procs: $!\n";
            _exit(126);
        }
    }
    { no warnings 'exec'; exec { $command[0] } @command; }
    print STDERR "berth-shim: cannot run $command[0]: $!\n";
    _exit(127);
}
close($out_w);
close($err_w);
setpgid($child, $child);    # both sides set it, so no signal can race the child's own call

write_file("$dir/app.pid", "$child\n");

# SIGTERM/SIGINT to the shim are for the instance: pass them to its whole group.
my $stop_signal;
$SIG{TERM} = sub { $stop_signal = 'TERM'; kill('TERM', -$child); };
$SIG{INT} = sub { $stop_signal = 'INT'; kill('INT', -$child); };
$SIG{HUP} = 'IGNORE';
$SIG{PIPE} = 'IGNORE';

my %stream = (fileno($out_r) => 'stdout', fileno($err_r) => 'stderr');
my %pending = (stdout => '', stderr => '');
my $select = IO::Select->new($out_r, $err_r);

while ($select->count) {
    my @ready = $select->can_read(1.0);
    for my $fh (@ready) {
        my $name = $stream{fileno($fh)};
        my $n = sysread($fh, my $chunk, 65536);
        if (!defined $n) {
            next if $!{EINTR} || $!{EAGAIN};
            $n = 0;
        }
        if ($n == 0) {
            flush_partial($name);
            $select->remove($fh);
            close($fh);
            next;
        }
        emit($name, $pending{$name} . $chunk);
    }
}

waitpid($child, 0);
my $status = $?;
my $ended = ($status & 127) ? 'signal ' . ($status & 127) : 'exit ' . ($status >> 8);
write_file("$dir/exit", "$ended\n");
close($log);
exit 0;

sub emit {
    my ($name, $data) = @_;
    my $out = '';
    my $start = 0;
    my $ts = timestamp();
    while ((my $nl = index($data, "\n", $start)) >= 0) {
        $out .= lines($ts, $name, substr($data, $start, $nl - $start), 'F');
        $start = $nl + 1;
    }
    my $rest = substr($data, $start);
    while (length($rest) >= $MAX_LINE) {
        $out .= "$ts $name P " . substr($rest, 0, $MAX_LINE) . "\n";
        $rest = substr($rest, $MAX_LINE);
    }
    $pending{$name} = $rest;
    syswrite($log, $out) if length $out;
}

# one logical line, cut into P pieces when it is longer than MAX_LINE
sub lines {
    my ($ts, $name, $line, $tag) = @_;
    $line =~ s/\r$//;
    my $out = '';
    while (length($line) > $MAX_LINE) {
        $out .= "$ts $name P " . substr($line, 0, $MAX_LINE) . "\n";
        $line = substr($line, $MAX_LINE);
    }
    return $out . "$ts $name $tag $line\n";
}

sub flush_partial {
    my ($name) = @_;
    return unless length $pending{$name};
    syswrite($log, lines(timestamp(), $name, $pending{$name}, 'F'));
    $pending{$name} = '';
}

sub timestamp {
    my $t = clock_gettime(CLOCK_REALTIME);
    my $s = int($t);
    my @g = gmtime($s);
    return sprintf('%04d-%02d-%02dT%02d:%02d:%02d.%09dZ', $g[5] + 1900, $g[4] + 1, $g[3], $g[2], $g[1], $g[0],
        int(($t - $s) * 1e9));
}

sub write_file {
    my ($path, $text) = @_;
    open(my $fh, '>', "$path.tmp") or die "berth-shim: cannot write $path: $!\n";
    print $fh $text;
    close($fh);
    rename("$path.tmp", $path) or die "berth-shim: cannot rename $path: $!\n";
}
