package dev.levain.devstack;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code --name value} and {@code --flag} options. */
public final class Cli {

    private Cli() {
    }

    public static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                options.put("command", args[i]);
                continue;
            }
            String name = args[i].substring(2);
            boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
            options.put(name, hasValue ? args[++i] : "true");
        }
        return options;
    }
}
