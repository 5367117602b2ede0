using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Policy;
using IoTSec.Gateway.Hosting;
using IoTSec.Gateway.Tests.Inventory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Policy;

/// <summary>Hot reload: a real file on disk, the real FileSystemWatcher and SIGHUP; a bad file never replaces a good policy.</summary>
[TestClass]
public sealed class PolicyReloadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly string NoTelemetry = PolicyText.Small.Replace("up/telemetry", "up/readings", StringComparison.Ordinal);

    [TestMethod]
    public void Reload_AppliesAValidFile_AndAuditsItsSha256()
    {
        using var fixture = new TrafficPolicyFixture();
        var device = fixture.Connect("pump-1");
        var first = fixture.Store.Current.Sha256;
        Assert.IsTrue(fixture.Policy.AuthorizePublish(device, "iotsec/v1/d/pump-1/up/telemetry", "{}"u8, 0, false).Allowed);

        fixture.Rewrite(NoTelemetry);
        var result = fixture.Store.Reload();

        Assert.AreEqual(PolicyReloadOutcome.Applied, result.Outcome);
        Assert.IsFalse(fixture.Policy.AuthorizePublish(device, "iotsec/v1/d/pump-1/up/telemetry", "{}"u8, 0, false).Allowed, "the new policy judges the next message");
        var changes = fixture.Audit.List(kind: nameof(AuditEventKind.PolicyChange));
        Assert.HasCount(2, changes, "loaded, then reloaded");
        using var details = JsonDocument.Parse(changes[^1].Details);
        Assert.AreEqual("reloaded", details.RootElement.GetProperty("event").GetString());
        Assert.AreEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(fixture.PolicyPath))), details.RootElement.GetProperty("sha256").GetString());
        Assert.AreEqual(first, details.RootElement.GetProperty("previousSha256").GetString());
        Assert.AreEqual(PolicyReloadOutcome.Unchanged, fixture.Store.Reload().Outcome, "the same bytes again change nothing");
        Assert.HasCount(2, fixture.Audit.List(kind: nameof(AuditEventKind.PolicyChange)));
    }

    [TestMethod]
    public void Reload_OfAnInvalidFile_KeepsThePolicyInForce_AndReportsEveryError()
    {
        using var fixture = new TrafficPolicyFixture();
        var inForce = fixture.Store.Current;

        fixture.Rewrite(PolicyText.Small.Replace("rate: 2/s", "rate: lots", StringComparison.Ordinal).Replace("max-size: 64", "max-size: -1", StringComparison.Ordinal));
        var result = fixture.Store.Reload();

        Assert.AreEqual(PolicyReloadOutcome.Rejected, result.Outcome);
        Assert.AreSame(inForce, fixture.Store.Current);
        Assert.AreSame(inForce, result.Current);
        Assert.AreEqual(3, result.Errors.Count, string.Join("\n", result.Errors));
        Assert.AreEqual(1, fixture.Store.ReloadFailures);
        Assert.HasCount(1, fixture.Audit.List(kind: nameof(AuditEventKind.PolicyChange)), "a refused file is not audited as a change");

        File.Delete(fixture.PolicyPath);
        Assert.AreEqual(PolicyReloadOutcome.Rejected, fixture.Store.Reload().Outcome, "a deleted file keeps the policy too");
        Assert.AreSame(inForce, fixture.Store.Current);
    }

    [TestMethod]
    public async Task FileWatcher_AppliesAGoodEdit_AndKeepsThePolicyOnABadOne()
    {
        using var fixture = new TrafficPolicyFixture();
        using var reload = StartReload(fixture.Store, watch: true);
        var original = fixture.Store.Current.Sha256;

        // An editor's atomic save: write a temporary file, rename it over the policy.
        var temporary = fixture.PolicyPath + ".tmp";
        File.WriteAllText(temporary, NoTelemetry);
        File.Move(temporary, fixture.PolicyPath, overwrite: true);
        await WaitFor(() => fixture.Store.Current.Sha256 != original, "the edited file comes into force");
        var good = fixture.Store.Current;
        Assert.AreEqual(0, good.Classes["sensor"].PublishRules.Count(rule => rule.Topic.Text.Contains("telemetry", StringComparison.Ordinal)));

        // An in-place write of a broken file.
        File.WriteAllText(fixture.PolicyPath, "version: 1\nclasses: {}\n");
        await WaitFor(() => fixture.Store.ReloadFailures == 1, "the broken file is refused");
        Assert.AreSame(good, fixture.Store.Current, "the policy in force stays");
    }

    [TestMethod]
    public async Task Sighup_Reloads()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Inconclusive("SIGHUP is a POSIX signal");
        }

        using var fixture = new TrafficPolicyFixture();
        using var reload = StartReload(fixture.Store, watch: false);
        var original = fixture.Store.Current.Sha256;
        fixture.Rewrite(NoTelemetry);

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-HUP", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!)
        {
            await kill.WaitForExitAsync();
            Assert.AreEqual(0, kill.ExitCode);
        }

        await WaitFor(() => fixture.Store.Current.Sha256 != original, "SIGHUP reloads the file (the watcher is off)");
    }

    [TestMethod]
    public void Start_WithoutAFile_WritesTheDevelopmentPolicy_OnlyWhenAllowed()
    {
        using var directory = new TemporaryDataDirectory();
        var logger = NullLogger.Instance;

        var refused = Assert.ThrowsExactly<PolicyRejectedException>(() => PolicyServiceCollectionExtensions.OpenStore(new PolicySettings(), directory.Data, null, logger));
        StringAssert.Contains(refused.Errors[0].Message, "does not exist");
        Assert.IsFalse(File.Exists(directory.Data.DefaultPolicyFile), "a production start writes nothing");

        var store = PolicyServiceCollectionExtensions.OpenStore(new PolicySettings { AllowDevelopmentPolicy = true }, directory.Data, null, logger);
        Assert.AreEqual(directory.Data.DefaultPolicyFile, store.FilePath);
        CollectionAssert.AreEqual(DevelopmentPolicy.Bytes(), File.ReadAllBytes(directory.Data.DefaultPolicyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(directory.Data.DefaultPolicyFile));
        }

        File.WriteAllText(directory.Data.DefaultPolicyFile, PolicyText.Small);
        var kept = PolicyServiceCollectionExtensions.OpenStore(new PolicySettings { AllowDevelopmentPolicy = true }, directory.Data, null, logger);
        Assert.IsNotNull(kept.Current.Find("sensor"));
        Assert.IsNull(kept.Current.Find("infusion-pump"), "an existing file is never overwritten");
    }

    private static PolicyReload StartReload(PolicyStore store, bool watch)
    {
        var reload = new PolicyReload(store, Options.Create(new PolicySettings { WatchFile = watch, ReloadDebounce = TimeSpan.FromMilliseconds(100) }), NullLogger<PolicyReload>.Instance);
        reload.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return reload;
    }

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out waiting until " + what);
            }

            await Task.Delay(20);
        }
    }
}
