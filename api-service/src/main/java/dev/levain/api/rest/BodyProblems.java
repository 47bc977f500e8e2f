package dev.levain.api.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The problems of a request body: too large, not JSON at all, or JSON with a field of the wrong type. Said in the
 * API's own words, with where it happened; never a parser's message, which names Java types and parser states.
 */
final class BodyProblems {

    private static final String UNREADABLE = ProblemMappers.PROBLEMS + "unreadable-body";

    private BodyProblems() {
    }

    static Problem tooLarge(long limit) {
        return new Problem(ProblemMappers.PROBLEMS + "body-too-large", "Body too large", 413,
                "The body is larger than the " + limit + " bytes this service accepts", "body");
    }

    /** The 413 of a body that passed the limit, when that is what {@code failure} comes down to. */
    static Optional<Problem> tooLarge(Throwable failure) {
        return cause(failure, BodyTooLargeException.class).map(e -> tooLarge(e.limit()));
    }

    static Problem unreadable(JsonProcessingException e) {
        // A parse error may come wrapped with the path of the element being read when the text broke off: the
        // element is not at fault, the body is.
        Optional<StreamReadException> syntax = cause(e, StreamReadException.class);
        if (syntax.isPresent()) {
            return new Problem(UNREADABLE, "Unreadable body", 400,
                    "The body is not valid JSON" + where(syntax.get().getLocation(), "; reading stopped at ", ""),
                    "body");
        }
        String field = field(e);
        return new Problem(UNREADABLE, "Unreadable body", 400,
                wrongValue(e, field) + where(e.getLocation(), " (", ")"), field);
    }

    /** What is wrong with the value at {@code field} of a body that is valid JSON. */
    private static String wrongValue(JsonProcessingException e, String field) {
        if (e instanceof PropertyBindingException) {
            return field + " is not a field of this body";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return field + " must be " + kind(mismatch.getTargetType());
        }
        return field + " cannot be read";
    }

    /** The JSON path of the failing value ({@code stores.1}), or {@code body} for the body as a whole. */
    private static String field(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return "body";
        }
        return mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : Integer.toString(ref.getIndex()))
                .collect(Collectors.joining("."));
    }

    /** What a JSON value must be to fill {@code type}. */
    private static String kind(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum() || type == Character.class
                || type == char.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String where(JsonLocation location, String before, String after) {
        if (location == null || location.getLineNr() < 1 || location.getColumnNr() < 1) {
            return "";
        }
        return before + "line " + location.getLineNr() + ", column " + location.getColumnNr() + after;
    }

    private static <T extends Throwable> Optional<T> cause(Throwable failure, Class<T> type) {
        for (Throwable at = failure; at != null; at = at.getCause() == at ? null : at.getCause()) {
            if (type.isInstance(at)) {
                return Optional.of(type.cast(at));
            }
        }
        return Optional.empty();
    }
}
