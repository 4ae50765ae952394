package io.berth.identity;

import io.berth.common.problem.ProblemException;
import java.util.Set;

/** The rules for the names the identity service stores. */
public final class Names {
    /** A team name ends up in labels, topics and DNS names, like an app name: DNS-safe, at most 40. */
    public static final String TEAM = "[a-z]([-a-z0-9]{0,38}[a-z0-9])?";
    public static final String TEAM_MESSAGE =
            "must be 1-40 lower-case letters, digits or '-', start with a letter and not end with '-'";

    /** A user name may be a login or an e-mail address (an OIDC subject maps onto it). */
    public static final String USER = "[a-z0-9]([-a-z0-9._@]{0,62}[a-z0-9])?";
    public static final String USER_MESSAGE =
            "must be 1-64 lower-case letters, digits, '-', '.', '_' or '@', starting and ending with a letter or digit";

    public static final String ROLE = "admin|developer|viewer";
    public static final String ROLE_MESSAGE = "must be one of admin, developer, viewer";

    /** A label for people ("laptop", "ci: deploy"); no slash, so it never reads as a path. */
    public static final String TOKEN_NAME = "[-A-Za-z0-9 ._:@+]{1,64}";
    public static final String TOKEN_NAME_MESSAGE = "must be 1-64 letters, digits, spaces or any of - . _ : @ +";

    public static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    public static final String UUID_MESSAGE = "must be a token id (a UUID)";

    /**
     * The built-in callers' names: the platform admin token and the service token act as these in
     * the audit log, so no user may take them.
     */
    private static final Set<String> RESERVED_USERS = Set.of("admin", "service");

    private Names() {
    }

    public static String requireUnreservedUser(String user, String field) {
        if (RESERVED_USERS.contains(user)) {
            throw ProblemException.invalidField(field, "'" + user + "' is reserved for the platform's built-in callers");
        }
        return user;
    }
}
