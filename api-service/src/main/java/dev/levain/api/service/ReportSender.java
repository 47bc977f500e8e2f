package dev.levain.api.service;

import dev.levain.api.config.ApiConfig;
import dev.levain.api.repository.ReportRunRepository;
import dev.levain.events.mail.SmtpMailer;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.MessagingException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Sends the sales report by e-mail ({@code levain.api.report.*}): every replica checks on a schedule which
 * period each recipient is owed (the last day, week or month over, once {@code send-at} has passed in
 * {@code zone}); the replica that claims a recipient's period sends it, once cluster-wide, and records it.
 * A send that fails is tried again at the next check.
 */
@ApplicationScoped
@Startup
public class ReportSender {

    private static final Logger LOG = Logger.getLogger(ReportSender.class);

    private final List<ReportRecipient> recipients;
    private final ApiConfig.Report config;
    private final ReportService reports;
    private final ReportRunRepository runs;
    private final SmtpMailer smtp;
    private final String replica = ManagementFactory.getRuntimeMXBean().getName();

    public ReportSender(ApiConfig config, ReportService reports, ReportRunRepository runs, Config settings) {
        // Parsed here, at start: a wrong recipient stops the service with its name instead of never getting mail.
        this.recipients = ReportRecipient.parse(config.report().recipients().orElse(List.of()));
        this.config = config.report();
        this.reports = reports;
        this.runs = runs;
        this.smtp = new SmtpMailer(SmtpMailer.Settings.from(key -> settings.getOptionalValue(key, String.class),
                config.report().sendTimeout()));
    }

    @Scheduled(every = "${levain.api.report.check-every}", delayed = "${levain.api.report.check-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        sendDue(Instant.now(), replica);
    }

    /** Sends what is owed at {@code now} that no replica sent yet, as {@code claimant}; returns what this call sent. */
    public List<ReportRun> sendDue(Instant now, String claimant) {
        LocalDate day = now.atZone(config.zone()).minus(Duration.ofSeconds(config.sendAt().toSecondOfDay())).toLocalDate();
        List<ReportRun> sent = new ArrayList<>();
        for (ReportRecipient recipient : recipients) {
            Period period = recipient.frequency().lastEndedBefore(day);
            try {
                runs.sendOnce(recipient, period, claimant, now, () -> send(recipient, period, claimant, now))
                        .ifPresent(sent::add);
            } catch (RuntimeException e) {
                LOG.errorf(e, "The %s sales report of %s to %s was not sent; the next check tries again",
                        recipient.frequency().code(), ReportMail.dates(period), recipient.masked());
            }
        }
        return sent;
    }

    private ReportRun send(ReportRecipient recipient, Period period, String claimant, Instant now) {
        Report report = reports.build(recipient.frequency(), period);
        // Each step bounded by send-timeout: the run's transaction is open while it sends.
        try {
            smtp.send(new SmtpMailer.Mail(config.from(), List.of(recipient.address()), ReportMail.subject(report),
                    ReportMail.text(report), ReportMail.html(report), List.of(new SmtpMailer.Attachment(
                            ReportMail.workbookName(report), ReportWorkbook.MEDIA_TYPE, ReportWorkbook.write(report)))));
        } catch (MessagingException e) {
            // Without the cause: a server's refusal names the address, which the log line must not show.
            throw new IllegalStateException("SMTP " + e.getClass().getSimpleName() + ": "
                    + SmtpMailer.withoutAddresses(e.getMessage()));
        }
        LOG.infof("Sent the %s sales report of %s to %s", recipient.frequency().code(), ReportMail.dates(period),
                recipient.masked());
        Optional<Report.StoreLine> total = report.sections().stream().findFirst().map(Report.Section::total);
        return new ReportRun(recipient.address(), recipient.frequency().code(), period.from(), period.to(), now,
                claimant, report.sections().stream().findFirst().map(Report.Section::currency).orElse(null),
                total.map(line -> line.sales().netSales()).orElse(null),
                total.map(line -> line.sales().transactions()).orElse(null));
    }
}
