package io.berth.common.problem;

/** Thrown by service code to answer with a specific problem (404 unknown app, 409 conflict, ...). */
public class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of(404, "Not Found", what));
    }

    public static ProblemException conflict(String what) {
        return new ProblemException(Problem.of(409, "Conflict", what));
    }

    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(Problem.invalid(field + ": " + message, java.util.List.of(new Problem.FieldError(field, message))));
    }

    public Problem problem() {
        return problem;
    }
}
