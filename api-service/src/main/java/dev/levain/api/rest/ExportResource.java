package dev.levain.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.api.security.Roles;
import dev.levain.api.service.InvalidQueryException;
import dev.levain.api.service.ReportWorkbook;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A dashboard table as an Excel workbook: the page sends the table it shows (the header row first, numbers as JSON
 * numbers) and gets it back as .xlsx. It reads no data of its own, so any signed-in user may use it.
 */
@Path("/api/v1/export/xlsx")
@RolesAllowed({Roles.ADMIN, Roles.VIEWER})
@Tag(name = "export")
public class ExportResource {

    // A workbook is built in memory: bounded so that no request can take the service's heap (a dashboard table is a
    // few thousand cells; the largest, a day's lineage, some ten thousand).
    static final int MAX_ROWS = 5_000;
    static final int MAX_COLUMNS = 100;
    static final int MAX_CELLS = 50_000;
    private static final int MAX_NAME = 31;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(ReportWorkbook.MEDIA_TYPE)
    @Operation(summary = "Turns a table into an .xlsx workbook: {\"name\": sheet and file name, \"rows\": [[header, ...], "
            + "[cell, ...], ...]} with text, numbers or null in the cells.")
    public Response xlsx(JsonNode table) {
        if (table == null || !table.isObject()) {
            throw new InvalidQueryException("body", "must be a JSON object with name and rows");
        }
        String name = table.path("name").asText("").trim();
        if (name.isEmpty() || name.length() > MAX_NAME || !name.matches("[A-Za-z0-9 _.-]+")) {
            throw new InvalidQueryException("name", "must be 1 to " + MAX_NAME
                    + " letters, digits, spaces, '_', '.' or '-', not \"" + name + "\"");
        }
        JsonNode rows = table.path("rows");
        if (!rows.isArray() || rows.isEmpty() || rows.size() > MAX_ROWS) {
            throw new InvalidQueryException("rows", "must be an array of 1 to " + MAX_ROWS + " rows, the header first");
        }
        List<List<Object>> cells = new ArrayList<>();
        int count = 0;
        for (int r = 0; r < rows.size(); r++) {
            JsonNode row = rows.get(r);
            if (!row.isArray() || row.size() > MAX_COLUMNS) {
                throw new InvalidQueryException("rows[" + r + "]", "must be an array of at most " + MAX_COLUMNS + " cells");
            }
            count += row.size();
            if (count > MAX_CELLS) {
                throw new InvalidQueryException("rows", "hold more than " + MAX_CELLS + " cells");
            }
            List<Object> values = new ArrayList<>();
            for (int c = 0; c < row.size(); c++) {
                JsonNode cell = row.get(c);
                if (cell.isNumber()) {
                    values.add(cell.decimalValue());
                } else if (cell.isTextual()) {
                    values.add(cell.asText());
                } else if (cell.isNull()) {
                    values.add(null);
                } else {
                    throw new InvalidQueryException("rows[" + r + "][" + c + "]", "must be text, a number or null");
                }
            }
            cells.add(values);
        }
        return Response.ok(ReportWorkbook.table(name, cells))
                .header("Content-Disposition", "attachment; filename=\"" + name + ".xlsx\"")
                .build();
    }
}
