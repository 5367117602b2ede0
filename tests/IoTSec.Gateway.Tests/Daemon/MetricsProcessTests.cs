using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using IoTSec.Gateway.Tests.Est;
using IoTSec.Gateway.Tests.Inventory;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary>
/// Prometheus metrics of the real daemon, configured by a YAML file (--config) and an
/// environment override, scraped over HTTP after real traffic: an enrolment by curl with the
/// identity from <c>dev issue-cert</c>, a refused request, a revocation by the CLI.
/// </summary>
[TestClass]
public sealed class MetricsProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ScrapeShowsProcessMetricsAndGatewayCountersAfterTraffic()
    {
        var openssl = RequiredComponent.Executable("openssl", "openssl");
        var curl = RequiredComponent.Executable("curl", "curl");
        var data = TempDirectory.Create("iotsec-metrics");
        try
        {
            var work = Path.Combine(data, "client");
            var issued = GatewayCli.Run(data, "dev", "issue-cert", "--device", "dev-m", "--out", work);
            Assert.AreEqual(0, issued.ExitCode, issued.ToString());

            var estPort = GatewayProcess.FreePort();
            var metricsPort = GatewayProcess.FreePort();
            var config = Path.Combine(data, "gateway.yaml");
            // The file names a metrics port the environment overrides: the scrape below proves the layer order.
            File.WriteAllText(config, $"est:\n  port: {estPort}\nmetrics:\n  port: {GatewayProcess.FreePort()}\n");
            var environment = new Dictionary<string, string> { ["IOTSEC__METRICS__PORT"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            using var gateway = GatewayProcess.Start(environment, "--data-dir", data, "run", "--config", config);
            await gateway.WaitForOutputAsync("EST listening on https://127.0.0.1:" + estPort, StartTimeout);
            StringAssert.Contains(gateway.Output, "configuration file: " + config);
            StringAssert.Contains(gateway.Output, $"Prometheus metrics on http://127.0.0.1:{metricsPort}/metrics");

            // A re-enrolment by a foreign client (openssl, curl) with the dev issue-cert files.
            Check(ProcessTool.Run(openssl, work, "req", "-new", "-key", "dev-m.key.pem", "-subj", "/CN=dev-m", "-outform", "DER", "-out", "csr.der"));
            Check(ProcessTool.Run(openssl, work, "base64", "-in", "csr.der", "-out", "csr.b64"));
            var estUrl = $"https://127.0.0.1:{estPort}/.well-known/est/";
            var reenrol = ProcessTool.Run(curl, work, "-sS", "--cert", "dev-m.pem", "--key", "dev-m.key.pem", "--cacert", "ca.pem",
                "-H", "Content-Type: application/pkcs10", "--data-binary", "@csr.b64", "-o", "/dev/null", "-w", "%{http_code}", estUrl + "simplereenroll");
            Assert.AreEqual("200", reenrol.Output, reenrol.Error + gateway.Output);

            // A client without a certificate: the handshake is refused, and counted.
            var refused = ProcessTool.Run(curl, work, "-sS", "--cacert", "ca.pem", "-o", "/dev/null", estUrl + "cacerts");
            Assert.IsTrue(refused.ExitCode is 35 or 52 or 56, $"curl exit {refused.ExitCode}: {refused.Error}");

            // A revocation by the administration CLI, which the daemon learns through its poller.
            Assert.AreEqual(0, GatewayCli.Run(data, "devices", "revoke", "dev-m", "--reason", "metrics test").ExitCode);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };
            var text = await WaitForMetricAsync(http, "iotsec_device_revocations_total", TimeSpan.FromSeconds(10));
            AssertSample(text, "iotsec_device_revocations_total", "kind=\"revoked\"", 1);
            AssertSample(text, "iotsec_est_enrolments_total", "operation=\"SimpleReenroll\"", 1);
            AssertSample(text, "iotsec_est_refusals_total", "reason=\"client-certificate-required\"", 1);
            StringAssert.Contains(text, "# TYPE iotsec_est_enrolments_total counter");
            StringAssert.Contains(text, "process_cpu_seconds_total");
            StringAssert.Contains(text, "process_working_set_bytes");

            using (var post = await http.PostAsync("/metrics", null, TestContext.CancellationToken))
            {
                Assert.AreEqual(HttpStatusCode.MethodNotAllowed, post.StatusCode);
            }

            using (var other = await http.GetAsync("/.well-known/est/cacerts", TestContext.CancellationToken))
            {
                Assert.AreEqual(HttpStatusCode.NotFound, other.StatusCode, "the metrics port serves metrics only");
            }

            Assert.AreEqual(0, await gateway.TerminateAsync(TimeSpan.FromSeconds(20)), gateway.Output);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(data);
        }
    }

    private async Task<string> WaitForMetricAsync(HttpClient http, string name, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var text = await http.GetStringAsync("/metrics", TestContext.CancellationToken);
            if (text.Contains(name + "{", StringComparison.Ordinal))
            {
                return text;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no {name} in /metrics within {timeout}:\n{text}");
            }

            await Task.Delay(100, TestContext.CancellationToken);
        }
    }

    private static void AssertSample(string text, string name, string label, double value)
    {
        var line = Regex.Match(text, "^" + Regex.Escape(name) + @"\{[^}]*" + Regex.Escape(label) + @"[^}]*\} (?<value>\S+)$", RegexOptions.Multiline);
        Assert.IsTrue(line.Success, $"no {name} with {label} in:\n{text}");
        Assert.AreEqual(value, double.Parse(line.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture), line.Value);
    }

    private static void Check((int ExitCode, string Output, string Error) result) =>
        Assert.AreEqual(0, result.ExitCode, result.Output + result.Error);
}
