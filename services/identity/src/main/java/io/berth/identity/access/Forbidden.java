package io.berth.identity.access;

import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;

/** 403: the caller may see the thing but not do this to it. */
final class Forbidden {
    private Forbidden() {
    }

    static ProblemException because(String why) {
        return new ProblemException(Problem.of(403, "Forbidden", why));
    }
}
