using System;
using System.IO;
using IoTSec.Firmware.Tests.Console;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Provision.Tests;

/// <summary><c>iotsec-provision batch</c>: several units on real pty pairs, one failing; the line goes on.</summary>
[TestClass]
public sealed class BatchTests
{
    private ProvisioningBench _bench = null!;

    [TestInitialize]
    public void CreateBench() => _bench = new ProvisioningBench();

    [TestCleanup]
    public void DeleteBench() => _bench.Dispose();

    [TestMethod]
    public void TwoUnitsOneLockedTheLineGoesOnAndTheSummarySaysWhich()
    {
        string ports = Path.Combine(_bench.Directory, "line");
        Directory.CreateDirectory(ports);
        using var pair1 = new SocatPtyPair();
        using var pair2 = new SocatPtyPair();
        File.CreateSymbolicLink(Path.Combine(ports, "tty1"), pair1.EndB);
        File.CreateSymbolicLink(Path.Combine(ports, "tty2"), pair2.EndB);
        using var good = new LineUnit(pair1.EndA, Path.Combine(_bench.Directory, "flash1"), 0x01, hardened: false);
        using var locked = new LineUnit(pair2.EndA, Path.Combine(_bench.Directory, "flash2"), 0x02, hardened: false);

        // The second unit was provisioned and locked at another station: it must be refused, not stop the line.
        Assert.AreEqual(ExitCode.Ok, _bench.Provision(pair2.EndB, null, "--ledger", Path.Combine(_bench.Directory, "other-ledger.jsonl")).Code);
        Assert.AreEqual(ExitCode.Ok, ProvisioningBench.Run("lock", "--port", pair2.EndB).Code);
        byte[] lockedCertificate = locked.LoadIdentity()!.BirthCertificate;

        string profile = _bench.WriteProfile("dev.yaml", ProvisioningBench.GoodProfile + "\ndevelopment: true\n");
        ToolRun run = Batch(profile, Path.Combine(ports, "tty*"), "--units", "2");

        Assert.AreEqual(ExitCode.BatchHadFailures, run.Code, run.ToString());
        StringAssert.Contains(run.Output, "tally: 1 provisioned, 1 failed");
        StringAssert.Contains(run.Output, "summary: 1 provisioned, 1 failed");
        StringAssert.Contains(run.Output, locked.HardwareId + ": failed (exit 5 Locked)");
        Assert.IsNotNull(good.LoadIdentity(), "the good unit was provisioned");
        CollectionAssert.AreEqual(lockedCertificate, locked.LoadIdentity()!.BirthCertificate, "the locked unit kept its identity");
        Assert.AreEqual(1, File.ReadAllLines(_bench.Ledger).Length, "one birth record: the good unit's");
        StringAssert.Contains(File.ReadAllText(_bench.Ledger), good.HardwareId);
    }

    [TestMethod]
    public void AProductionProfileRefusesAUnitWithoutHardening()
    {
        string ports = Path.Combine(_bench.Directory, "line");
        Directory.CreateDirectory(ports);
        using var pair1 = new SocatPtyPair();
        using var pair2 = new SocatPtyPair();
        File.CreateSymbolicLink(Path.Combine(ports, "tty1"), pair1.EndB);
        File.CreateSymbolicLink(Path.Combine(ports, "tty2"), pair2.EndB);
        using var hardened = new LineUnit(pair1.EndA, Path.Combine(_bench.Directory, "flash1"), 0x01, hardened: true);
        using var open = new LineUnit(pair2.EndA, Path.Combine(_bench.Directory, "flash2"), 0x02, hardened: false);

        ToolRun run = Batch(_bench.Profile, Path.Combine(ports, "tty*"), "--units", "2");

        Assert.AreEqual(ExitCode.BatchHadFailures, run.Code, run.ToString());
        StringAssert.Contains(run.Output, open.HardwareId + ": failed (exit 12 NotHardened)");
        StringAssert.Contains(run.Output, "secure boot (No)");
        Assert.IsNotNull(hardened.LoadIdentity());
        Assert.IsNull(open.LoadIdentity(), "nothing was written to the unhardened unit");
    }

    [TestMethod]
    public void AnEmptyLineStopsWhenIdle()
    {
        ToolRun run = Batch(_bench.Profile, Path.Combine(_bench.Directory, "nothing-*"), "--idle-seconds", "1");
        Assert.AreEqual(ExitCode.Ok, run.Code, run.ToString());
        StringAssert.Contains(run.Output, "summary: 0 provisioned, 0 failed");
    }

    private ToolRun Batch(string profile, string pattern, params string[] extra) =>
        ProvisioningBench.Run([
            "batch", "--profile", profile, "--station", _bench.StationDirectory, "--station-passphrase-file", _bench.PassphraseFile,
            "--operator", "line-1", "--scan", pattern, "--timeout-ms", "300", "--poll-ms", "100", .. extra,
        ]);
}
