package dev.levain.devstack.launcher;

import dev.levain.devstack.Cli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code levain token}: prints a bearer token for the local api-service, signed with the key pair
 * {@code levain up} trusts ({@code <data>/jwt}).
 *
 * <p>Options: {@code --role admin|viewer} (viewer), {@code --stores CODE,CODE} (a viewer's stores;
 * all when absent), {@code --hours N} (12), {@code --subject NAME}, {@code --data DIR} (.levain).
 */
public final class TokenCommand {

    static final String USAGE = "usage: levain token [--role admin|viewer] [--stores CODE,CODE] [--hours N] [--subject NAME] [--data DIR]";

    private TokenCommand() {
    }

    public static void main(String[] args) {
        Map<String, String> options = Cli.options(args);
        String role = options.getOrDefault("role", "viewer").toLowerCase(Locale.ROOT);
        if (!role.equals("admin") && !role.equals("viewer")) {
            System.err.println("--role must be admin or viewer, not " + role + "\n" + USAGE);
            System.exit(2);
        }
        List<String> stores = options.containsKey("stores")
                ? Arrays.stream(options.get("stores").split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .map(s -> s.toUpperCase(Locale.ROOT)).toList()
                : List.of();
        long hours = Long.parseLong(options.getOrDefault("hours", "12"));
        Path home = Path.of(System.getProperty("levain.home", ".")).toAbsolutePath().normalize();
        Path data = home.resolve(options.getOrDefault("data", ".levain"));
        String subject = options.getOrDefault("subject", "local-" + role);
        System.out.println(ApiTokens.in(LevainSystem.jwtDir(data)).issue(subject, role, stores, Duration.ofHours(hours)));
    }
}
