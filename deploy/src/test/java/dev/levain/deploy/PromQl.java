package dev.levain.deploy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names a PromQL expression reads, found by a small tokenizer: no PromQL parser for Java is
 * on Maven Central. It skips strings, label matchers ({@code {...}}), ranges and subqueries
 * ({@code [...]}) and the label lists of {@code by}, {@code without}, {@code on}, {@code ignoring} and
 * {@code group_left/right}; an identifier before {@code (} must be a PromQL function or aggregation.
 * Unbalanced brackets and unknown functions are errors, so a typo cannot pass as a metric name.
 */
final class PromQl {

    private static final Set<String> FUNCTIONS = Set.of(
            "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values",
            "group", "rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "histogram_quantile",
            "abs", "absent", "absent_over_time", "ceil", "floor", "round", "clamp", "clamp_min", "clamp_max",
            "changes", "resets", "time", "timestamp", "vector", "scalar", "sort", "sort_desc", "label_replace",
            "label_join", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
            "last_over_time", "quantile_over_time", "stddev_over_time", "present_over_time", "exp", "ln", "log2",
            "log10", "sqrt");
    private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");

    private PromQl() {
    }

    /** The metric names {@code expr} selects; fails on an expression this reader cannot make sense of. */
    static Set<String> metricNames(String expr) {
        Set<String> names = new TreeSet<>();
        Deque<Character> open = new ArrayDeque<>();
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = endOfString(expr, i);
            } else if (c == '{') {
                i = closing(expr, i, '{', '}');
            } else if (c == '[') {
                i = closing(expr, i, '[', ']');
            } else if (c == '(') {
                open.push('(');
                i++;
            } else if (c == ')') {
                if (open.isEmpty()) {
                    throw new IllegalArgumentException("unbalanced ) at " + i + " in " + expr);
                }
                open.pop();
                i++;
            } else if (Character.isDigit(c) || c == '.') {
                i = endOf(expr, i, "0123456789.eEsmhdwy");
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int end = endOfIdentifier(expr, i);
                String word = expr.substring(i, end);
                int next = skipSpaces(expr, end);
                String following = expr.substring(next, endOfIdentifier(expr, next));
                // An aggregation's grouping may stand between it and its argument: sum by (topic) (...).
                boolean call = next < expr.length() && expr.charAt(next) == '('
                        || FUNCTIONS.contains(word) && (following.equals("by") || following.equals("without"));
                if (LABEL_LIST_KEYWORDS.contains(word)) {
                    i = call ? closing(expr, next, '(', ')') : end;
                } else if (call) {
                    if (!FUNCTIONS.contains(word)) {
                        throw new IllegalArgumentException("unknown function " + word + " in " + expr);
                    }
                    i = end;
                } else {
                    if (!KEYWORDS.contains(word)) {
                        names.add(word);
                    }
                    i = end;
                }
            } else {
                i++;
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("unbalanced ( in " + expr);
        }
        return names;
    }

    private static int closing(String expr, int from, char opening, char closing) {
        int i = from + 1;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = endOfString(expr, i);
                continue;
            }
            if (c == opening) {
                throw new IllegalArgumentException("nested " + opening + " at " + i + " in " + expr);
            }
            if (c == closing) {
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("unclosed " + opening + " at " + from + " in " + expr);
    }

    private static int endOfString(String expr, int from) {
        char quote = expr.charAt(from);
        for (int i = from + 1; i < expr.length(); i++) {
            if (expr.charAt(i) == '\\') {
                i++;
            } else if (expr.charAt(i) == quote) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unclosed string at " + from + " in " + expr);
    }

    private static int endOfIdentifier(String expr, int from) {
        int i = from;
        while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_'
                || expr.charAt(i) == ':')) {
            i++;
        }
        return i;
    }

    private static int endOf(String expr, int from, String allowed) {
        int i = from;
        while (i < expr.length() && allowed.indexOf(expr.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String expr, int from) {
        int i = from;
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i;
    }
}
