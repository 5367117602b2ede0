using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Est;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>
/// An enrolment storm: 1,000 devices power up at once and enrol, each over its own mutual-TLS
/// connection with its birth certificate, 32 at a time — every one must get its certificate.
/// Runs alone so its timing is not shared with other test classes.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class EstEnrolmentStormTests
{
    private const int Devices = 1000;
    private const int Parallelism = 32;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ThousandDevicesEnrolWithNoError()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var ids = Enumerable.Range(0, Devices).Select(i => "storm-" + i.ToString("D4", CultureInfo.InvariantCulture)).ToArray();
        var births = gateway.Register(ids);
        var failures = 0;

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = TestContext.CancellationToken }, async (id, cancellation) =>
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var client = gateway.Client(births[id]);
            using var response = await client.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr(id, key)), cancellation);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref failures);
                TestContext.WriteLine($"{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellation)}");
            }
        });
        clock.Stop();

        TestContext.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Devices} enrolments, {Parallelism} at a time: {clock.Elapsed.TotalSeconds:F1} s, {Devices / clock.Elapsed.TotalSeconds:F0} enrolments/s, queue high-water {gateway.Get<EnrolmentQueue>().HighWater}"));
        Assert.AreEqual(0, failures);
        Assert.AreEqual(Devices, gateway.Inventory.List(DeviceState.Enrolled).Count);
        Assert.HasCount(Devices, gateway.Audit.List(kind: nameof(AuditEventKind.Enrolment)));
        Assert.AreEqual(0L, gateway.Get<RefusalAuditor>().TotalRefusals);
    }
}
