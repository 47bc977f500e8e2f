package dev.levain.api.service;

/** No goal has the id, or none the caller may see. */
public class GoalNotFoundException extends RuntimeException {

    public GoalNotFoundException(long id) {
        super("No goal has id " + id);
    }
}
