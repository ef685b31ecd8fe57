package io.chartpulse.collector.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads a batch body: a JSON array of events, or {@code {"events": [...]}}, as a stream, one element after the
 * other, so no tree of the whole batch is built. Gzip bodies are inflated with the same size limit as plain ones,
 * so a small compressed body cannot expand without bound. Nesting deeper than 64 levels is malformed.
 */
final class BatchReader {

    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build());

    /** The body is not a batch; answered with 400. */
    static final class MalformedBatch extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedBatch(String message) {
            super(message, null, false, false);
        }
    }

    /** The body is over the limit; answered with 413. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    private BatchReader() {}

    /** Inflates a gzip body up to {@code limit} bytes. */
    static byte[] gunzip(byte[] body, int limit) throws MalformedBatch, TooLarge {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, body.length * 4 + 64));
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) > 0) {
                if (out.size() + read > limit) {
                    throw new TooLarge("the body inflates to more than " + limit + " bytes");
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new MalformedBatch("the body is not valid gzip: " + e.getMessage());
        }
    }

    /** A parser standing just inside the events array (the next token is the first element or the array's end). */
    static JsonParser openEvents(byte[] body) throws MalformedBatch, IOException {
        JsonParser parser = JSON.createParser(body);
        JsonToken first = parser.nextToken();
        if (first == JsonToken.START_OBJECT && seekEvents(parser)) {
            return parser;
        }
        if (first == JsonToken.START_ARRAY) {
            return parser;
        }
        parser.close();
        throw new MalformedBatch("expected a JSON array of events or an object with an \"events\" array");
    }

    /** After a refused element, advances past whatever of it is left, back to the array's level. */
    static void skipRest(JsonParser parser, JsonStreamContext array) throws IOException {
        while (parser.getParsingContext() != array) {
            if (parser.nextToken() == null) {
                return;
            }
        }
    }

    static MalformedBatch malformed(IOException e) {
        return new MalformedBatch("the body is not valid JSON (" + firstLine(e.getMessage()) + ")");
    }

    private static boolean seekEvents(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("events".equals(name)) {
                return value == JsonToken.START_ARRAY;
            }
            parser.skipChildren();
        }
        return false;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 160 ? line.substring(0, 160) : line;
    }
}
