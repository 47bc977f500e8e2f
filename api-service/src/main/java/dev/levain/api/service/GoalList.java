package dev.levain.api.service;

import java.util.List;

/** The goals a caller may see, newest first. */
public record GoalList(List<Goal> goals) {
}
