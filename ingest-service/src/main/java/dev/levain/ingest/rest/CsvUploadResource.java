package dev.levain.ingest.rest;

import dev.levain.events.Sources;
import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.config.PosConfig;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.connector.crm.csv.ContactCsvRows;
import dev.levain.ingest.connector.csv.CsvRows;
import dev.levain.ingest.connector.pos.csv.PosCsvRows;
import dev.levain.ingest.service.CsvImportReport;
import dev.levain.ingest.service.CsvImportService;
import dev.levain.ingest.service.IngestMetrics;
import dev.levain.ingest.service.IngestSources;
import dev.levain.ingest.service.PayloadTooLargeException;
import dev.levain.ingest.service.UploadAuthenticator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * CSV files uploaded by people: POS sales exports downloaded by hand from the till, and contact lists.
 * The body is taken as a stream on a worker thread, so Quarkus REST hands it over as it arrives.
 */
@Path("/api/v1/ingest")
@Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
@Produces(MediaType.APPLICATION_JSON)
public class CsvUploadResource {

    private static final String REPORT = " ',' or ';' separated, UTF-8. 200 with a report (accepted, duplicate and "
            + "rejected items, each rejected row with its line and reason); 400 when the header is unusable; 401 "
            + "without a valid upload token (Authorization: Bearer); 413 past the size limit.";

    private final CsvImportService imports;
    private final UploadAuthenticator authenticator;
    private final IngestSources sources;
    private final IngestMetrics metrics;
    private final PosConfig posConfig;
    private final IngestConfig config;

    public CsvUploadResource(CsvImportService imports, UploadAuthenticator authenticator, IngestSources sources,
                             IngestMetrics metrics, PosConfig posConfig, IngestConfig config) {
        this.imports = imports;
        this.authenticator = authenticator;
        this.sources = sources;
        this.metrics = metrics;
        this.posConfig = posConfig;
        this.config = config;
    }

    @POST
    @Path("/pos/csv")
    @Operation(summary = "Upload a POS sales export (one row per sale line)",
            description = "Columns: store_code, sale_id, occurred_at, sku, quantity, unit_price; optional discount, "
                    + "customer_email, currency, name, status. The consecutive rows with one store_code and sale_id are "
                    + "one sale, published as one item. A sale with a bad row is refused whole, and so is a sale whose "
                    + "rows are not consecutive in the file (say X, Y, X: every row of X is refused, naming the sale; "
                    + "sort the export by sale); a row without a store_code or sale_id is refused alone. The whole "
                    + "file is received and read once before any sale is published, so no sale is ever recorded with "
                    + "lines missing, and a file past the size limit stores nothing." + REPORT)
    public CsvImportReport uploadSales(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                       @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
                                       @QueryParam("file") @DefaultValue("sales.csv") String file,
                                       InputStream body) {
        return upload(Source.POS, Sources.POS_CSV, authorization, contentLength, file, body,
                () -> new PosCsvRows(posConfig.csv().defaultTimezone()));
    }

    @POST
    @Path("/crm/contacts/csv")
    @Operation(summary = "Upload contacts (one row per contact)",
            description = "Columns: email; optional contact_id, given_name, family_name, phone, updated_at, "
                    + "marketing_opt_in, store_code." + REPORT)
    public CsvImportReport uploadContacts(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                          @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
                                          @QueryParam("file") @DefaultValue("contacts.csv") String file,
                                          InputStream body) {
        return upload(Source.CRM, Sources.CRM_CSV, authorization, contentLength, file, body,
                () -> new ContactCsvRows(config.tenant(), posConfig.csv().defaultTimezone()));
    }

    private CsvImportReport upload(Source source, String connector, String authorization, Long contentLength,
                                   String file, InputStream body, Supplier<CsvRows> format) {
        sources.require(source);
        long max = config.uploads().maxSize().asLongValue();
        return metrics.countingRejections(connector, () -> {
            authenticator.verify(authorization, config.uploads().tokens());
            RequestBodies.refuseDeclaredLength(contentLength, max);
            try {
                return imports.importFile(file, body, max, format.get());
            } catch (PayloadTooLargeException e) {
                RequestBodies.drain(body);
                throw e;
            }
        });
    }
}
