package io.berth.identity.team;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/** A team as the API shows it; {@code role} is the caller's own role in it, when the caller is a member. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeamView(String name, OffsetDateTime createdAt, String createdBy, String role) {
    public static TeamView of(Team team, String role) {
        return new TeamView(team.name, team.createdAt, team.createdBy, role);
    }
}
