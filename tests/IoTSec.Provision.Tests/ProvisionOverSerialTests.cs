using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using IoTSec.Firmware.Provisioning;
using IoTSec.Firmware.Tests.Console;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Provision.Tests;

/// <summary>
/// <c>iotsec-provision</c> against a simulated device (the firmware core's ConsoleService over
/// FlashProvisioningTarget on a DirectoryFlashStore) at the other end of a real socat
/// pseudo-terminal pair, System.IO.Ports on both ends.
/// </summary>
[TestClass]
public sealed class ProvisionOverSerialTests
{
    private ProvisioningBench _bench = null!;

    [TestInitialize]
    public void CreateBench() => _bench = new ProvisioningBench();

    [TestCleanup]
    public void DeleteBench() => _bench.Dispose();

    [TestMethod]
    public void ProvisionGivesTheDeviceItsIdentityAndInfoShowsIt()
    {
        using var pty = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(pty.EndA, _bench.Flash);

        ToolRun run = _bench.Provision(pty.EndB);

        Assert.AreEqual(ExitCode.Ok, run.Code, run.ToString());
        StringAssert.Contains(run.Output, "reading back the staged items");
        StringAssert.Contains(run.Output, "committed and verified");
        StringAssert.Contains(run.Output, "birth record 1 appended");

        ProvisionedIdentity? identity = device.LoadIdentity();
        Assert.IsNotNull(identity, "the device holds no identity after the tool said it was provisioned");
        Assert.AreEqual("env-sensor", identity.Configuration.DeviceClass);
        Assert.AreEqual("gw01.plant.example", identity.Configuration.GatewayHost);
        Assert.AreEqual(300, identity.Configuration.HeartbeatIntervalSeconds);
        Assert.AreEqual(2, identity.TrustAnchors.Count);

        // The key on the device is the key of the certificate on the device.
        using var certificate = X509CertificateLoader.LoadCertificate(identity.BirthCertificate);
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(identity.BirthKey, out _);
        using ECDsa certified = certificate.GetECDsaPublicKey()!;
        CollectionAssert.AreEqual(certified.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
        Assert.AreEqual("CN=" + TestPlatform.HardwareIdText, certificate.Subject);
        StringAssert.Contains(run.Output, Convert.ToHexStringLower(SHA256.HashData(identity.BirthCertificate)));

        ToolRun info = ProvisioningBench.Run("info", "--port", pty.EndB);
        Assert.AreEqual(ExitCode.Ok, info.Code, info.ToString());
        StringAssert.Contains(info.Output, TestPlatform.HardwareIdText);
        StringAssert.Matches(info.Output, new System.Text.RegularExpressions.Regex(@"lifecycle\s+Provisioned"));
        StringAssert.Matches(info.Output, new System.Text.RegularExpressions.Regex(@"lock\s+Unlocked"));
        StringAssert.Contains(info.Output, "esp32-devkitc");

        // Neither the tool's output nor the device's log carries the private key.
        Assert.IsFalse(run.Output.Contains(Convert.ToBase64String(identity.BirthKey), StringComparison.Ordinal));
        Assert.IsFalse(device.Log.Text.Contains(Convert.ToHexString(identity.BirthKey), StringComparison.OrdinalIgnoreCase));
        Assert.IsNull(device.Fault);
    }

    [TestMethod]
    public void TheBirthCertificateVerifiesWithOpensslAgainstTheManufacturerRootAndStationChain()
    {
        string openssl = RequiredComponent.Executable("openssl", "openssl");
        using var pty = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(pty.EndA, _bench.Flash);
        Assert.AreEqual(ExitCode.Ok, _bench.Provision(pty.EndB).Code);

        using var birth = X509CertificateLoader.LoadCertificate(device.LoadIdentity()!.BirthCertificate);
        string birthPem = Path.Combine(_bench.Directory, "birth.pem");
        File.WriteAllText(birthPem, birth.ExportCertificatePem());

        (int code, string output) = RunProcess(openssl, "verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", _bench.RootPem, "-untrusted", _bench.StationPem, birthPem);
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, "birth.pem: OK");

        // Without the station certificate there is no path: the root alone did not issue it.
        (int alone, string refused) = RunProcess(openssl, "verify", "-CAfile", _bench.RootPem, birthPem);
        Assert.AreNotEqual(0, alone, refused);
    }

    [TestMethod]
    public void TheGatewaysBirthCertificateRuleAcceptsTheStationIssuedCertificate()
    {
        using var pty = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(pty.EndA, _bench.Flash);
        Assert.AreEqual(ExitCode.Ok, _bench.Provision(pty.EndB).Code);

        using var birth = X509CertificateLoader.LoadCertificate(device.LoadIdentity()!.BirthCertificate);
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(_bench.RootPem));
        using var station = X509Certificate2.CreateFromPem(File.ReadAllText(_bench.StationPem));
        var rule = new IoTSec.Gateway.Est.BirthCertificateValidator([root]);

        // With the station certificate as a path candidate the chain is birth -> station -> root.
        var accepted = rule.Validate(birth, [station]);
        Assert.IsTrue(accepted.IsAccepted, accepted.Detail);

        // Without it there is no path. The device stores one certificate (its birth item), so it
        // cannot present the station's: the gateway must know station certificates (from the
        // imported ledger or its configuration). That extension of the gateway's rule is open.
        Assert.IsFalse(rule.Validate(birth).IsAccepted);
    }

    [TestMethod]
    public void LockThenProvisionIsRefusedWithTheLockedExitCode()
    {
        using var pty = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(pty.EndA, _bench.Flash);
        Assert.AreEqual(ExitCode.Ok, _bench.Provision(pty.EndB).Code);
        byte[] before = device.LoadIdentity()!.BirthCertificate;

        ToolRun locked = ProvisioningBench.Run("lock", "--port", pty.EndB);
        Assert.AreEqual(ExitCode.Ok, locked.Code, locked.ToString());
        StringAssert.Contains(locked.Output, "locked");

        ToolRun again = _bench.Provision(pty.EndB, null, "--replace");
        Assert.AreEqual(ExitCode.Locked, again.Code, again.ToString());
        Assert.AreEqual(5, (int)again.Code, "scripts rely on the number");
        StringAssert.Contains(again.Error, "is locked");
        CollectionAssert.AreEqual(before, device.LoadIdentity()!.BirthCertificate, "a locked device kept its identity");

        ToolRun relock = ProvisioningBench.Run("lock", "--port", pty.EndB);
        Assert.AreEqual(ExitCode.Locked, relock.Code, relock.ToString());
        StringAssert.Contains(relock.Error, "already locked");
    }

    [TestMethod]
    public void AProvisionedDeviceIsNotReprovisionedWithoutReplace()
    {
        using var pty = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(pty.EndA, _bench.Flash);
        Assert.AreEqual(ExitCode.Ok, _bench.Provision(pty.EndB).Code);
        byte[] first = device.LoadIdentity()!.BirthCertificate;

        ToolRun again = _bench.Provision(pty.EndB);
        Assert.AreEqual(ExitCode.AlreadyProvisioned, again.Code, again.ToString());
        CollectionAssert.AreEqual(first, device.LoadIdentity()!.BirthCertificate);

        ToolRun replaced = _bench.Provision(pty.EndB, null, "--replace");
        Assert.AreEqual(ExitCode.Ok, replaced.Code, replaced.ToString());
        CollectionAssert.AreNotEqual(first, device.LoadIdentity()!.BirthCertificate);
        StringAssert.Contains(replaced.Output, "birth record 2 appended");
    }

    [TestMethod]
    public void ACableThatFailsMidWayIsALinkFailureAndTheDeviceKeepsItsIdentity()
    {
        using var devicePair = new SocatPtyPair();
        using var toolPair = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(devicePair.EndA, _bench.Flash);
        ProvisionedIdentity before;
        using (var cable = new BrokenCableRelay(devicePair.EndB, toolPair.EndA, healthyRequests: int.MaxValue))
        {
            Assert.AreEqual(ExitCode.Ok, _bench.Provision(toolPair.EndB).Code);
            before = device.LoadIdentity()!;
        }

        // Hello, Info and the first certificate chunk pass; every request after that is damaged.
        using var broken = new BrokenCableRelay(devicePair.EndB, toolPair.EndA, healthyRequests: 3);
        ToolRun run = _bench.Provision(toolPair.EndB, null, "--replace", "--timeout-ms", "150", "--retries", "2");

        Assert.AreEqual(ExitCode.LinkFailed, run.Code, run.ToString());
        Assert.AreEqual(6, (int)run.Code, "scripts rely on the number");
        StringAssert.Contains(run.Error, "the link failed");
        StringAssert.Contains(run.Error, "3 attempt(s)", "the retry budget is stated");
        Assert.IsTrue(broken.Damaged >= 3, $"damaged: {broken.Damaged}");
        Assert.IsTrue(device.Service!.Session.FramesRejected >= 3, "the device's CRC check rejected the damaged requests");

        ProvisionedIdentity after = device.LoadIdentity()!;
        CollectionAssert.AreEqual(before.BirthCertificate, after.BirthCertificate, "the old identity stays: nothing was committed");
        CollectionAssert.AreEqual(before.BirthKey, after.BirthKey);
        Assert.AreEqual(1, File.ReadAllLines(_bench.Ledger).Length, "no birth record for a unit that was not provisioned");
        Assert.IsNull(device.Fault);
    }

    [TestMethod]
    public void ACommitWhoseAnswersAreLostIsFoundCommittedAndRecorded()
    {
        using var devicePair = new SocatPtyPair();
        using var toolPair = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(devicePair.EndA, _bench.Flash);

        // Answers 0-6: Hello, Info, certificate, key, anchors, configuration, read-back (each
        // one frame). Answers 7-9: the commit's and both retransmissions' (from the device's
        // replay cache), all damaged; the device has committed, the tool cannot tell.
        using var cable = new BrokenCableRelay(devicePair.EndB, toolPair.EndA, healthyRequests: int.MaxValue, damagedAnswersFrom: 7, damagedAnswers: 3);
        ToolRun run = _bench.Provision(toolPair.EndB, null, "--timeout-ms", "200", "--retries", "2");

        Assert.AreEqual(ExitCode.Ok, run.Code, run.ToString());
        Assert.AreEqual(3, cable.DamagedAnswers);
        StringAssert.Contains(run.Output, "the commit's answer was lost; reading the device's state again");
        ProvisionedIdentity identity = device.LoadIdentity()!;
        StringAssert.Contains(File.ReadAllText(_bench.Ledger), Convert.ToHexStringLower(SHA256.HashData(identity.BirthCertificate)), "the birth record names the committed certificate");
    }

    [TestMethod]
    public void NoDeviceOnThePortIsExitCodeThree()
    {
        ToolRun missing = ProvisioningBench.Run("info", "--port", Path.Combine(_bench.Directory, "no-such-tty"));
        Assert.AreEqual(ExitCode.NoDevice, missing.Code, missing.ToString());
        StringAssert.Contains(missing.Error, "does not exist");

        // A cable with nothing at the other end: the port opens, nothing answers.
        using var pty = new SocatPtyPair();
        ToolRun silent = ProvisioningBench.Run("info", "--port", pty.EndB, "--timeout-ms", "100", "--retries", "1");
        Assert.AreEqual(ExitCode.NoDevice, silent.Code, silent.ToString());
        StringAssert.Contains(silent.Error, "no device answers");
    }

    [TestMethod]
    public void PortsScanFindsTheDevice()
    {
        using var pty = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(pty.EndA, _bench.Flash);
        ToolRun ports = ProvisioningBench.Run("ports", "--scan", pty.EndB);
        Assert.AreEqual(ExitCode.Ok, ports.Code, ports.ToString());
        StringAssert.Contains(ports.Output, "IoTSec device " + TestPlatform.HardwareIdText);
    }

    [TestMethod]
    public void TheLedgerVerifiesAndATamperedRecordIsRefused()
    {
        using var pty = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(pty.EndA, _bench.Flash);
        Assert.AreEqual(ExitCode.Ok, _bench.Provision(pty.EndB).Code);
        Assert.AreEqual(ExitCode.Ok, _bench.Provision(pty.EndB, null, "--replace").Code);

        ToolRun verified = ProvisioningBench.Run("ledger", "verify", "--ledger", _bench.Ledger, "--station-certificate", _bench.StationPem);
        Assert.AreEqual(ExitCode.Ok, verified.Code, verified.ToString());
        StringAssert.Contains(verified.Output, "2 record(s)");

        string[] lines = File.ReadAllLines(_bench.Ledger);
        using (JsonDocument record = JsonDocument.Parse(JsonDocument.Parse(lines[0]).RootElement.GetProperty("record").GetString()!))
        {
            Assert.AreEqual(TestPlatform.HardwareIdText, record.RootElement.GetProperty("hardwareId").GetString());
            Assert.AreEqual("test-bench", record.RootElement.GetProperty("operator").GetString());
            Assert.AreEqual("Yes", record.RootElement.GetProperty("secureBoot").GetString());
        }

        // An edited field: the signature no longer verifies.
        File.WriteAllLines(_bench.Ledger, [lines[0].Replace("env-sensor", "env-sens0r", StringComparison.Ordinal), lines[1]]);
        ToolRun tampered = ProvisioningBench.Run("ledger", "verify", "--ledger", _bench.Ledger, "--station-certificate", _bench.StationPem);
        Assert.AreEqual(ExitCode.LedgerInvalid, tampered.Code, tampered.ToString());
        StringAssert.Contains(tampered.Error, "ledger line 1");

        // A record removed: the chain and sequence break.
        File.WriteAllLines(_bench.Ledger, [lines[1]]);
        ToolRun removed = ProvisioningBench.Run("ledger", "verify", "--ledger", _bench.Ledger, "--station-certificate", _bench.StationPem);
        Assert.AreEqual(ExitCode.LedgerInvalid, removed.Code, removed.ToString());

        // Verified under another station's certificate: foreign.
        ToolRun foreign = ProvisioningBench.Run("ledger", "verify", "--ledger", _bench.Ledger, "--station-certificate", _bench.RootPem);
        Assert.AreEqual(ExitCode.LedgerInvalid, foreign.Code, foreign.ToString());
    }

    [TestMethod]
    public void AWrongStationPassphraseStopsBeforeTheDeviceIsTouched()
    {
        using var pty = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(pty.EndA, _bench.Flash);
        File.WriteAllText(_bench.PassphraseFile, "not the passphrase\n");
        ToolRun run = _bench.Provision(pty.EndB);
        Assert.AreEqual(ExitCode.StationRefused, run.Code, run.ToString());
        Assert.IsNull(device.LoadIdentity());
        Assert.IsFalse(File.Exists(_bench.Ledger));
    }

    private static (int Code, string Output) RunProcess(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            Assert.Fail("openssl did not finish");
        }

        return (process.ExitCode, output);
    }
}
