package dev.levain.api.rest;

import dev.levain.api.service.GoalNotFoundException;
import dev.levain.api.service.InvalidGoalException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps a wrong goal and an unknown goal to problem+json responses (an unreadable body: {@link ProblemMappers}). */
public class GoalProblemMappers {

    @ServerExceptionMapper
    public Response invalidGoal(InvalidGoalException e) {
        return new Problem(ProblemMappers.PROBLEMS + "invalid-goal", "Invalid goal", 400,
                e.field() + " " + e.getMessage(), e.field()).toResponse();
    }

    @ServerExceptionMapper
    public Response goalNotFound(GoalNotFoundException e) {
        return new Problem(ProblemMappers.PROBLEMS + "unknown-goal", "Unknown goal", 404, e.getMessage(), "id")
                .toResponse();
    }
}
