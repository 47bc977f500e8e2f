package dev.levain.api.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The sales report's figures as an Excel workbook (.xlsx), one row per store and a total per currency, numbers as
 * numbers: sheets Stores, Goals, Alerts and Period.
 */
public final class ReportWorkbook {

    public static final String MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** The columns of sheet Stores, in order. */
    public static final List<String> STORE_COLUMNS = List.of("Currency", "Store", "Name", "Net sales",
            "Net sales previous", "Net sales last year", "Net sales vs previous %", "Net sales vs last year %",
            "Transactions", "Transactions previous", "Transactions last year", "Average ticket",
            "Average ticket previous", "Average ticket last year", "New customers", "New customers previous",
            "Active customers", "Retained customers", "Retention rate", "Turnover", "Days of inventory");

    private static final DateTimeFormatter FIRED = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);

    private ReportWorkbook() {
    }

    public static byte[] write(Report report) {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle header = workbook.createCellStyle();
            Font bold = workbook.createFont();
            bold.setBold(true);
            header.setFont(bold);
            stores(workbook.createSheet("Stores"), header, report);
            goals(workbook.createSheet("Goals"), header, report);
            alerts(workbook.createSheet("Alerts"), header, report);
            period(workbook.createSheet("Period"), header, report);
            workbook.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the report's workbook", e);
        }
    }

    /**
     * One table as a workbook of one sheet named {@code name}: the first row bold (the header), numbers as numeric
     * cells, text as text, null as an empty cell.
     */
    public static byte[] table(String name, List<List<Object>> rows) {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle header = workbook.createCellStyle();
            Font bold = workbook.createFont();
            bold.setBold(true);
            header.setFont(bold);
            Sheet sheet = workbook.createSheet(name);
            int columns = 0;
            for (int i = 0; i < rows.size(); i++) {
                row(sheet, i == 0 ? header : null, rows.get(i).toArray());
                columns = Math.max(columns, rows.get(i).size());
            }
            size(sheet, columns);
            workbook.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the workbook of " + name, e);
        }
    }

    private static void stores(Sheet sheet, CellStyle header, Report report) {
        row(sheet, header, STORE_COLUMNS.toArray());
        for (Report.Section section : report.sections()) {
            List<Report.StoreLine> lines = new ArrayList<>(section.stores());
            lines.add(section.total());
            for (Report.StoreLine line : lines) {
                row(sheet, null, section.currency(), line.store(), line.name(), line.sales().netSales(),
                        line.previousSales().netSales(), line.lastYearSales().netSales(),
                        line.netChangeVsPrevious().orElse(null), line.netChangeVsLastYear().orElse(null),
                        line.sales().transactions(), line.previousSales().transactions(),
                        line.lastYearSales().transactions(), line.sales().averageTicket(),
                        line.previousSales().averageTicket(), line.lastYearSales().averageTicket(),
                        line.customers().newCustomers(), line.previousCustomers().newCustomers(),
                        line.customers().activeCustomers(), line.customers().retainedCustomers(),
                        line.customers().retentionRate(), line.turnover().turnover(), line.turnover().daysOfInventory());
            }
        }
        size(sheet, STORE_COLUMNS.size());
    }

    private static void goals(Sheet sheet, CellStyle header, Report report) {
        row(sheet, header, "Goal", "Metric", "Deadline", "Baseline", "Target", "Current", "Progress %", "Expected %",
                "On track");
        for (Report.GoalLine goal : report.goals()) {
            row(sheet, null, goal.name(), goal.metric(), goal.deadline().toString(), goal.baseline(), goal.target(),
                    goal.current(), goal.progressPercent(), goal.expectedPercent(),
                    goal.onTrack() == null ? null : goal.onTrack() ? "yes" : "no");
        }
        size(sheet, 9);
    }

    private static void alerts(Sheet sheet, CellStyle header, Report report) {
        row(sheet, header, "Rule", "Kind", "Store", "Subject", "Level", "Threshold", "Firing since");
        report.alertsUnavailable().ifPresent(why -> row(sheet, null, "Unavailable: " + why));
        for (FiringAlert alert : report.alerts()) {
            row(sheet, null, alert.rule(), alert.kind(), alert.store(), alert.subject(), alert.level(),
                    alert.threshold(), alert.firedAt() == null ? null : FIRED.format(alert.firedAt()));
        }
        size(sheet, 7);
    }

    private static void period(Sheet sheet, CellStyle header, Report report) {
        row(sheet, header, "", "From", "To");
        row(sheet, null, "Report (" + report.frequency().code() + ")", report.period().from().toString(),
                report.period().to().toString());
        row(sheet, null, "Previous period", report.previousPeriod().from().toString(),
                report.previousPeriod().to().toString());
        row(sheet, null, "Same period last year", report.samePeriodLastYear().from().toString(),
                report.samePeriodLastYear().to().toString());
        size(sheet, 3);
    }

    /** A row of cells: numbers as numeric cells, text as text, null as an empty cell. */
    private static void row(Sheet sheet, CellStyle style, Object... values) {
        Row row = sheet.createRow(sheet.getPhysicalNumberOfRows());
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            if (value == null) {
                continue;
            }
            var cell = row.createCell(i);
            if (value instanceof BigDecimal decimal) {
                cell.setCellValue(decimal.doubleValue());
            } else if (value instanceof Number number) {
                cell.setCellValue(number.doubleValue());
            } else {
                cell.setCellValue(value.toString());
            }
            if (style != null) {
                cell.setCellStyle(style);
            }
        }
    }

    private static void size(Sheet sheet, int columns) {
        for (int i = 0; i < columns; i++) {
            sheet.setColumnWidth(i, 18 * 256);
        }
    }
}
