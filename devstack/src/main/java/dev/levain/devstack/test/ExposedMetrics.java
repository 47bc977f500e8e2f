package dev.levain.devstack.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a service promises at {@code /q/metrics}, listed in its module's
 * {@code src/test/resources/exposed-metrics.txt}. The service's own test compares the list with what
 * the service exposes after real traffic; deploy's test checks that every metric an alert rule or the
 * dashboard uses is on one of the lists. A renamed metric fails the first, a rule using a metric no
 * service exposes fails the second: the manifests cannot drift from the code unnoticed.
 */
public final class ExposedMetrics {

    /** The list's file name, in each service module's test resources. */
    public static final String FILE = "exposed-metrics.txt";

    /** Levain's own metrics: every one exposed must be listed, so the list is their full set. */
    public static final String OWN_PREFIX = "levain_";

    private static final String OPTIONAL = "?";

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    private static final Pattern SAMPLE_LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})? (\\S+)( \\d+)?");

    private ExposedMetrics() {
    }

    /**
     * The names in a list's text: one a line; blank lines and {@code #} comments are skipped. A name
     * ending in {@code ?} is one the service registers only once it happens (a rare outcome's counter).
     */
    public static Set<String> listed(String text) {
        Set<String> names = new TreeSet<>();
        for (String line : lines(text)) {
            names.add(line.endsWith(OPTIONAL) ? line.substring(0, line.length() - 1) : line);
        }
        return names;
    }

    private static List<String> lines(String text) {
        return text.lines().map(line -> line.replaceFirst("#.*", "").strip()).filter(line -> !line.isEmpty()).toList();
    }

    /** The list of the module under test, as written, read from its test classpath. */
    private static String listText() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : ExposedMetrics.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is not on the test classpath (src/test/resources)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample names of a Prometheus text exposition (a histogram gives {@code _bucket}, {@code _count}...). */
    public static Set<String> exposed(String exposition) {
        Set<String> names = new TreeSet<>();
        Matcher sample = SAMPLE.matcher(exposition);
        while (sample.find()) {
            names.add(sample.group(1));
        }
        return names;
    }

    /**
     * The sum of the samples named {@code name} whose labels include every one of {@code labels}
     * (written as in the exposition, e.g. {@code channel="slack"}); zero when there is none.
     */
    public static double sum(String exposition, String name, String... labels) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            Matcher sample = SAMPLE_LINE.matcher(line);
            if (sample.matches() && sample.group(1).equals(name)
                    && List.of(labels).stream().allMatch(label -> sample.group(2) != null && sample.group(2).contains(label))) {
                sum += Double.parseDouble(sample.group(3));
            }
        }
        return sum;
    }

    /**
     * What disagrees between the list of the module under test and its service's exposition: listed
     * names it does not expose (unless marked {@code ?}), and Levain metrics it exposes that are not
     * listed. Empty when they agree.
     */
    public static List<String> mismatches(String exposition) {
        String text = listText();
        Set<String> listed = listed(text);
        Set<String> exposed = exposed(exposition);
        List<String> problems = new ArrayList<>();
        lines(text).stream().filter(name -> !name.endsWith(OPTIONAL)).filter(name -> !exposed.contains(name))
                .forEach(name -> problems.add(name + " is listed in " + FILE + " but not exposed"));
        exposed.stream().filter(name -> name.startsWith(OWN_PREFIX) && !listed.contains(name))
                .forEach(name -> problems.add(name + " is exposed but not listed in " + FILE));
        return problems;
    }
}
