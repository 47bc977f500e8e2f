package dev.levain.api.security;

/** The roles a bearer token may carry in its {@code groups} claim. */
public final class Roles {

    /** Owners: everything, costs and margins included, and every change. */
    public static final String ADMIN = "admin";
    /** Employees: read-only KPIs, possibly for some stores only, never costs or margins. */
    public static final String VIEWER = "viewer";

    private Roles() {
    }
}
