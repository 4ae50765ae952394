package io.berth.logcollector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.events.CloudEvent;
import io.berth.events.EventCodec;
import io.berth.events.log.LogLine;
import io.berth.logcollector.cri.CriLine;
import io.berth.logcollector.cri.CriParser;
import io.berth.logcollector.cri.JoinedLine;
import io.berth.logcollector.cri.PartialJoiner;
import io.berth.logcollector.line.LineInterpreter;
import io.berth.logcollector.ship.LogLineEncoder;
import io.berth.logcollector.source.InstanceInfo;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a line costs on the collector's one reading thread, warm: parse + join + interpret +
 * encode, and the CloudEvent envelope written the generic way (EventCodec, through a JSON tree)
 * against the streaming encoder. Printed, for the README and the report.
 */
class EncodingCostTest {
    static final InstanceInfo APP = new InstanceInfo("bench", "team", "bench-1-abcde", 1);

    @Test
    void perLineCost() {
        byte[] raw = ("2026-11-22T03:12:09.994456529Z stdout F INFO bench seq=123456 " + "x".repeat(100 - 22))
                .getBytes(StandardCharsets.UTF_8);
        PartialJoiner joiner = new PartialJoiner(65536);
        LogLineEncoder encoder = new LogLineEncoder();
        LogLine sample = LineInterpreter.interpret(joiner.accept(CriParser.parse(raw, 0, raw.length, 0), 0, false), APP);
        int n = 300_000;
        long sink = 0;
        double pipeline = 0;
        double parse = 0;
        double interpret = 0;
        double codec = 0;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                CriLine line = CriParser.parse(raw, 0, raw.length, 0);
                sink += joiner.accept(line, i, false).to();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                JoinedLine joined = joiner.accept(CriParser.parse(raw, 0, raw.length, 0), i, false);
                sink += LineInterpreter.interpret(joined, APP).message().length();
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                JoinedLine joined = joiner.accept(CriParser.parse(raw, 0, raw.length, 0), i, false);
                LogLine line = LineInterpreter.interpret(joined, APP);
                sink += encoder.encode(line, APP.instance() + ":1:2:" + i + ":" + joined.epochNanos()).length;
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += EventCodec.toBytes(CloudEvent.of("/berth/log-collector", sample)).length;
            }
            long t4 = System.nanoTime();
            parse = (t1 - t0) / (double) n;
            interpret = (t2 - t1) / (double) n;
            pipeline = (t3 - t2) / (double) n;
            codec = (t4 - t3) / (double) n;
        }
        System.out.printf("per 100-byte line: parse+join %.0f ns, +interpret %.0f ns, +encode (streaming) %.0f ns;"
                + " EventCodec envelope alone %.0f ns%n", parse, interpret, pipeline, codec);
        assertTrue(sink > 0);
    }
}
