using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Pki;

namespace IoTSec.Benchmarks;

/// <summary>
/// Where an enrolment's time goes apart from TLS and HTTP: each step of the EST service's work
/// run on its own, in process, one at a time (wall and CPU time per step), and the recording
/// step again with 32 at once to show what group commit saves.
/// </summary>
internal static class EstEnrolmentSteps
{
    public static async Task RunAsync(DeviceCertificateIssuer issuer, DeviceInventory inventory, Func<string, X509Certificate2> birthOf, int count)
    {
        var ids = Enumerable.Range(0, count * 2).Select(i => "step-" + i.ToString("D6", CultureInfo.InvariantCulture)).ToArray();
        var births = ids.ToDictionary(id => id, birthOf);
        inventory.Register(births.Select(pair => new DeviceImportEntry(pair.Key, "bench", Convert.ToHexStringLower(SHA256.HashData(pair.Value.RawData)))).ToList(), "bench");

        var csrs = new byte[count * 2][];
        Step("client: key + CSR", count * 2, i =>
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            csrs[i] = new CertificateRequest("CN=" + ids[i], key, HashAlgorithmName.SHA256).CreateSigningRequest();
        });
        var requests = new VerifiedSigningRequest[count * 2];
        Step("CSR checks", count * 2, i => requests[i] = SigningRequestReader.ReadDer(csrs[i]));
        var issued = new X509Certificate2[count * 2];
        Step("issue (CA signature)", count * 2, i => issued[i] = issuer.IssueDeviceCertificate(ids[i], requests[i]));

        var clock = Stopwatch.StartNew();
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        for (var i = 0; i < count; i++)
        {
            await inventory.RecordEnrolmentAsync(ids[i], issued[i], births[ids[i]], "bench");
        }

        Report("record + audit, 1 at a time", count, clock.Elapsed, Cpu(self, cpu));
        clock.Restart();
        cpu = Cpu(self, TimeSpan.Zero);
        await Parallel.ForEachAsync(Enumerable.Range(count, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            await inventory.RecordEnrolmentAsync(ids[i], issued[i], births[ids[i]], "bench"));
        Report("record + audit, 32 at once", count, clock.Elapsed, Cpu(self, cpu));

        foreach (var certificate in births.Values.Concat(issued))
        {
            certificate.Dispose();
        }
    }

    private static void Step(string what, int count, Action<int> step)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            step(i);
        }

        Report(what, count, clock.Elapsed, Cpu(self, cpu));
    }

    private static TimeSpan Cpu(Process self, TimeSpan since)
    {
        self.Refresh();
        return self.TotalProcessorTime - since;
    }

    private static void Report(string what, int count, TimeSpan elapsed, TimeSpan cpu) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  step {what,-28} {elapsed.TotalMilliseconds / count,7:F3} ms wall, {cpu.TotalMilliseconds / count,7:F3} ms CPU each"));
}
