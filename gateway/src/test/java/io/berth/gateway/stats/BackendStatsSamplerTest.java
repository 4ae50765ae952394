package io.berth.gateway.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.events.metric.BackendStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendStatsSamplerTest {
    private static final String HEADER = "# pxname,svname,qcur,scur,status,act,req_tot,hrsp_2xx,hrsp_5xx,rtime\n";

    private static String stat(long reqTot, long ok, long err) {
        return HEADER + "app_shop,BACKEND,1,4,UP,2," + reqTot + "," + ok + "," + err + ",7\n"
                + "app_shop,i1,0,2,UP,1,0,0,0,7\n"
                + "berth_no_app,BACKEND,0,0,UP,0,99,0,99,0\n";
    }

    @Test
    void ratesAreDeltasOverTheInterval() {
        BackendStatsSampler sampler = new BackendStatsSampler();
        assertEquals(List.of(), sampler.sample(stat(100, 90, 10), 0));
        List<BackendStats> stats = sampler.sample(stat(600, 580, 20), 5_000_000_000L);
        assertEquals(List.of(new BackendStats("shop", 5000, 100.0, 490, 10, 7.0, 1, 4, 2)), stats);
    }

    @Test
    void countersThatWentBackMeanAReload() {
        BackendStatsSampler sampler = new BackendStatsSampler();
        sampler.sample(stat(600, 580, 20), 0);
        BackendStats after = sampler.sample(stat(50, 50, 0), 1_000_000_000L).get(0);
        assertEquals(50.0, after.requestsPerSecond());
        assertEquals(50, after.responses2xx());
    }
}
