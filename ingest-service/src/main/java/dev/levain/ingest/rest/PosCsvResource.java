package dev.levain.ingest.rest;

import dev.levain.events.Sources;
import dev.levain.ingest.config.PosConfig;
import dev.levain.ingest.config.Source;
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
import org.eclipse.microprofile.openapi.annotations.Operation;

/** POS sales exports uploaded as CSV files, as owners download them by hand from their till. */
@Path("/api/v1/ingest/pos/csv")
public class PosCsvResource {

    private final CsvImportService imports;
    private final UploadAuthenticator authenticator;
    private final IngestSources sources;
    private final IngestMetrics metrics;
    private final PosConfig config;

    public PosCsvResource(CsvImportService imports, UploadAuthenticator authenticator, IngestSources sources,
                          IngestMetrics metrics, PosConfig config) {
        this.imports = imports;
        this.authenticator = authenticator;
        this.sources = sources;
        this.metrics = metrics;
        this.config = config;
    }

    // InputStream on a worker thread: Quarkus REST hands the body over as it arrives, unbuffered.
    @POST
    @Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a sales export (one row per sale line)",
            description = "Columns: store_code, sale_id, occurred_at, sku, quantity, unit_price; optional discount, "
                    + "customer_email, currency, name, status. ',' or ';' separated, UTF-8. 200 with a report "
                    + "(accepted, duplicate and rejected sales, each rejected row with its line and reason); "
                    + "400 when the header is unusable; 401 without a valid upload token; 413 past the size limit.")
    public CsvImportReport upload(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                  @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
                                  @QueryParam("file") @DefaultValue("upload.csv") String file,
                                  InputStream body) {
        sources.require(Source.POS);
        long max = config.csv().maxUploadSize().asLongValue();
        return metrics.countingRejections(Sources.POS_CSV, () -> {
            authenticator.verify(authorization, config.csv().uploadTokens());
            RequestBodies.refuseDeclaredLength(contentLength, max);
            try {
                return imports.importFile(file, body, max, new PosCsvRows(config.csv().defaultTimezone()));
            } catch (PayloadTooLargeException e) {
                RequestBodies.drain(body);
                throw e;
            }
        });
    }
}
