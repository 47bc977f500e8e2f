package dev.levain.api.rest;

import dev.levain.api.repository.ReportRunRepository;
import dev.levain.api.security.Roles;
import dev.levain.api.service.InvalidQueryException;
import dev.levain.api.service.Period;
import dev.levain.api.service.Report;
import dev.levain.api.service.ReportFrequency;
import dev.levain.api.service.ReportMail;
import dev.levain.api.service.ReportRun;
import dev.levain.api.service.ReportService;
import dev.levain.api.service.ReportWorkbook;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** The sales report by e-mail: what was sent, and any period's report as its mail shows it or as its workbook. */
@Path("/api/v1/admin/reports")
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class AdminReportResource {

    private final ReportRunRepository runs;
    private final ReportService reports;

    public AdminReportResource(ReportRunRepository runs, ReportService reports) {
        this.runs = runs;
        this.reports = reports;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The sales reports sent, newest first: recipient, frequency, period, when, by which replica "
            + "and the total net sales and transactions it gave.")
    public List<ReportRun> sent(@RestQuery String limit, @RestQuery String offset) {
        long skip = offset == null || offset.isBlank() ? 0 : AdminEventsResource.whole(offset, "offset");
        if (skip < 0) {
            throw new InvalidQueryException("offset", "must be 0 or more, not " + offset);
        }
        return runs.recent(AdminEventsResource.limit(limit), (int) Math.min(skip, Integer.MAX_VALUE));
    }

    @GET
    @Path("/preview")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The report of the day, week (Monday to Sunday) or month holding date, as its e-mail shows it.")
    public String preview(@RestQuery String frequency, @RestQuery String date) {
        return ReportMail.html(report(frequency, date));
    }

    @GET
    @Path("/workbook")
    @Produces(ReportWorkbook.MEDIA_TYPE)
    @Operation(summary = "The report of the day, week or month holding date as the .xlsx workbook its e-mail carries.")
    public Response workbook(@RestQuery String frequency, @RestQuery String date) {
        Report report = report(frequency, date);
        return Response.ok(ReportWorkbook.write(report))
                .header("Content-Disposition", "attachment; filename=\"" + ReportMail.workbookName(report) + "\"")
                .build();
    }

    private Report report(String frequency, String date) {
        ReportFrequency chosen = frequency == null || frequency.isBlank() ? ReportFrequency.WEEKLY
                : ReportFrequency.parse(frequency).orElseThrow(() -> new InvalidQueryException("frequency",
                "must be daily, weekly or monthly, not " + frequency));
        if (date == null || date.isBlank()) {
            throw new InvalidQueryException("date", "is required: a day of the period, as 2026-11-23");
        }
        try {
            Period period = chosen.containing(LocalDate.parse(date.trim()));
            return reports.build(chosen, period);
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException("date", "must be a date as 2026-11-23, not " + date);
        }
    }
}
