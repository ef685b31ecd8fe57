package io.chartpulse.cli.lake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;

/** How {@code lake query} prints an answer: an aligned table for people, CSV or JSON lines for tools. */
final class LakeQueryOutput {

    /** Cells wider than this are cut in the table format (CSV and JSON keep them whole). */
    static final int MAX_CELL = 48;

    private static final ObjectMapper JSON = new ObjectMapper();

    private LakeQueryOutput() {}

    static String render(LakeQuery.Answer answer, LakeCommand.Format format) {
        return switch (format) {
            case table -> table(answer);
            case csv -> csv(answer);
            case json -> json(answer);
        };
    }

    static String table(LakeQuery.Answer answer) {
        int[] widths = new int[answer.columns().size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = cell(answer.columns().get(c)).length();
            for (List<Object> row : answer.rows()) {
                widths[c] = Math.max(widths[c], cell(row.get(c)).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, answer.columns(), widths);
        for (int c = 0; c < widths.length; c++) {
            out.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
        }
        out.append('\n');
        for (List<Object> row : answer.rows()) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<?> cells, int[] widths) {
        for (int c = 0; c < widths.length; c++) {
            String text = cell(cells.get(c));
            out.append(c == 0 ? "" : "  ").append(text).append(" ".repeat(widths[c] - text.length()));
        }
        out.setLength(out.length() - trailingSpaces(out));
        out.append('\n');
    }

    private static int trailingSpaces(StringBuilder out) {
        int n = 0;
        while (n < out.length() && out.charAt(out.length() - 1 - n) == ' ') {
            n++;
        }
        return n;
    }

    /** A value as the table shows it: NULL for null, one line, at most {@link #MAX_CELL} characters. */
    static String cell(Object value) {
        if (value == null) {
            return "NULL";
        }
        String flat = value.toString().replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        return flat.length() <= MAX_CELL ? flat : flat.substring(0, MAX_CELL - 1) + "…";
    }

    /** RFC 4180: a header line, then the rows; a field with a comma, quote or line break is quoted. */
    static String csv(LakeQuery.Answer answer) {
        StringBuilder out = new StringBuilder();
        out.append(answer.columns().stream().map(LakeQueryOutput::csvField).collect(Collectors.joining(",")))
                .append("\r\n");
        for (List<Object> row : answer.rows()) {
            out.append(row.stream().map(LakeQueryOutput::csvField).collect(Collectors.joining(",")))
                    .append("\r\n");
        }
        return out.toString();
    }

    private static String csvField(Object cell) {
        if (cell == null) {
            return "";
        }
        String value = cell.toString();
        if (value.chars().anyMatch(ch -> ch == ',' || ch == '"' || ch == '\n' || ch == '\r')) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    /** One JSON object per row: column → number, boolean, text or null. */
    static String json(LakeQuery.Answer answer) {
        StringBuilder out = new StringBuilder();
        for (List<Object> row : answer.rows()) {
            ObjectNode node = JSON.createObjectNode();
            for (int c = 0; c < answer.columns().size(); c++) {
                node.set(answer.columns().get(c), JSON.valueToTree(row.get(c)));
            }
            try {
                out.append(JSON.writeValueAsString(node)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Cannot write a row as JSON", e);
            }
        }
        return out.toString();
    }
}
