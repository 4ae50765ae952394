#!/usr/bin/env bash
# kafka-down-test.sh: the collector against a Kafka broker that is killed (-9) while lines flow.
#
# Starts a private single-node broker (ports 19092/19093, its own data dir, the platform's Kafka
# jars) so the shared broker is left alone, the packaged collector on a temporary log dir with a
# 10 s delivery timeout, and a writer of 5,000 lines/s with sequence numbers for 50 s. Ten seconds
# in, the broker is killed for 25 s, then started again. Prints what the collector read and sent
# meanwhile (reading stops: the file is the buffer), then counts the topic by sequence number:
# passes when every line is there (repeats are allowed, and reported).
#
# Needs the packaged collector (./mvnw -o -pl services/log-collector package -DskipTests) and
# Kafka's jars (bin/berth-dev infra-up installs them). Usage: services/log-collector/kafka-down-test.sh
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
KAFKA_HOME=${KAFKA_HOME:-${BERTH_HOME:-/var/lib/berth}/opt/kafka-4.1.1}
LIB=$REPO/bin/lib
JAR=$REPO/services/log-collector/target/quarkus-app/quarkus-run.jar
W=$(mktemp -d /tmp/berth-kafka-down.XXXXXX)
LINES=250000
TOKEN=kafka-down-test; SHA=$(printf '%s' $TOKEN | sha256sum | cut -d' ' -f1)
PORT=18787
APP=kdown-$RANDOM
mkdir -p "$W"/{data,logs,state,instances}
kafka_pid= collector_pid= writer_pid=
cleanup() {
  for p in $writer_pid $collector_pid $kafka_pid; do kill -9 "$p" 2>/dev/null || true; done
  echo "work dir (logs): $W"
}
trap cleanup EXIT

cat > "$W/server.properties" << PROPS
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093
advertised.listeners=PLAINTEXT://127.0.0.1:19092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.quorum.voters=1@127.0.0.1:19093
log.dirs=$W/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
PROPS
java -Dlog4j2.configurationFile="$LIB/kafka-tools-log4j2.properties" -cp "$KAFKA_HOME/lib/*" kafka.tools.StorageTool format \
  -t "$(java -cp "$KAFKA_HOME/lib/*" kafka.tools.StorageTool random-uuid 2>/dev/null)" -c "$W/server.properties" > /dev/null
start_kafka() {
  java -Xmx384m -Dlog4j2.configurationFile="$LIB/kafka-log4j2.properties" -cp "$KAFKA_HOME/lib/*" kafka.Kafka \
    "$W/server.properties" >> "$W/kafka.log" 2>&1 &
  kafka_pid=$!
}
start_kafka
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/19092) 2>/dev/null && break; sleep 0.2; done

BERTH_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092 BERTH_LOG_COLLECTOR_LOG_DIR=$W/logs BERTH_LOG_COLLECTOR_STATE_DIR=$W/state \
BERTH_LOG_COLLECTOR_INSTANCES_DIR=$W/instances BERTH_LOG_COLLECTOR_PRODUCER_DELIVERY_TIMEOUT=10s \
MP_MESSAGING_INCOMING_DEPLOYMENTS_AUTO_OFFSET_RESET=latest BERTH_LOGS_MANAGED_APPS=none \
QUARKUS_HTTP_PORT=$PORT BERTH_AUTH_ADMIN_TOKEN_SHA256=$SHA BERTH_AUTH_SERVICE_TOKEN=unused \
  java -Xmx256m -jar "$JAR" > "$W/collector.log" 2>&1 &
collector_pid=$!
for _ in $(seq 1 300); do curl -sf -m 2 "http://127.0.0.1:$PORT/q/health/ready" > /dev/null && break; sleep 0.2; done
metric() {
  curl -m 3 -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/q/metrics" \
    | awk -v m="$1" 'index($0, m) == 1 {printf "%d", $NF}'
}
status() {
  echo "$(date +%T) $1: read=$(metric berth_logcollector_lines_read_total) acknowledged=$(metric berth_logcollector_lines_sent_total)" \
    "in-flight-bytes=$(metric berth_logcollector_in_flight_bytes) send-errors=$(metric berth_logcollector_send_errors_total)"
}

mkdir -p "$W/logs/$APP"
perl -MTime::HiRes=time,sleep -e '
  open(my $f, ">>", $ARGV[0]) or die; select((select($f), $| = 1)[0]);
  my ($n, $t0) = ($ARGV[1], time);
  for my $i (0 .. $n - 1) {
    my $t = time; my @g = gmtime(int $t);
    printf $f "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ stdout F INFO kafka-down seq=%d xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
      $g[5] + 1900, $g[4] + 1, $g[3], $g[2], $g[1], $g[0], int(($t - int $t) * 1e9), $i;
    if ($i % 500 == 499) { my $d = $t0 + ($i + 1) / 5000 - time; sleep($d) if $d > 0; }
  }' "$W/logs/$APP/$APP-1-kdown.log" "$LINES" &
writer_pid=$!
sleep 10
status "before the kill"
kill -9 "$kafka_pid"
echo "$(date +%T) broker killed (-9)"
for t in 5 10 15 20 25; do sleep 5; status "broker down ${t}s"; done
start_kafka
echo "$(date +%T) broker started again"
wait "$writer_pid"; writer_pid=
for _ in $(seq 1 60); do
  s=$(metric berth_logcollector_lines_sent_total)
  (( ${s:-0} >= LINES )) && break
  sleep 2
done
status "writer done"
timeout 90 java -Dlog4j2.configurationFile="$LIB/kafka-tools-log4j2.properties" -cp "$KAFKA_HOME/lib/*" \
  org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server 127.0.0.1:19092 --topic "berth.logs.$APP" \
  --from-beginning --timeout-ms 10000 2>/dev/null | grep -o 'seq=[0-9]*' | cut -d= -f2 > "$W/seqs.txt" || true
records=$(wc -l < "$W/seqs.txt")
distinct=$(sort -un "$W/seqs.txt" | wc -l)
echo "lines written $LINES, records $records, distinct $distinct, missing $((LINES - distinct)), repeats $((records - distinct))"
(( distinct == LINES )) && echo "kafka-down-test: PASS (lost 0)" || { echo "kafka-down-test: FAIL"; exit 1; }
