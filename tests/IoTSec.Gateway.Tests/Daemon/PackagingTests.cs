using System;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using IoTSec.Gateway.Tests.Est;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary>gateway/packaging: the systemd unit's hardening score and syntax, the install script's guard.</summary>
[TestClass]
public sealed partial class PackagingTests
{
    private static readonly string Unit = RepositoryPaths.Combine("gateway", "packaging", "iotsec-gateway.service");
    private static readonly string InstallScript = RepositoryPaths.Combine("gateway", "packaging", "install.sh");

    [TestMethod]
    public void UnitScoresTwoOrLowerInSystemdAnalyzeSecurity()
    {
        var analyze = RequiredComponent.Executable("systemd-analyze", "systemd");
        var result = ProcessTool.Run(analyze, Path.GetTempPath(), "security", "--offline=true", "--no-pager", Unit);
        var score = OverallExposure().Match(result.Output);
        Assert.IsTrue(score.Success, $"no score in systemd-analyze's output (exit {result.ExitCode}):\n{result.Output}\n{result.Error}");
        var exposure = double.Parse(score.Groups["score"].Value, CultureInfo.InvariantCulture);
        Assert.IsLessThanOrEqualTo(2.0, exposure, result.Output);
    }

    [TestMethod]
    public void UnitIsNotifyWithWatchdogAndNoCapabilities()
    {
        var text = File.ReadAllText(Unit);
        foreach (var line in new[] { "Type=notify", "WatchdogSec=30", "User=iotsec", "StateDirectory=iotsec", "ConfigurationDirectory=iotsec",
                                     "DeviceAllow=/dev/tpmrm0 rw", "CapabilityBoundingSet=", "AmbientCapabilities=", "MemoryDenyWriteExecute=no",
                                     "ExecStart=/opt/iotsec-gateway/iotsec-gateway run --config /etc/iotsec/gateway.yaml" })
        {
            Assert.IsTrue(Regex.IsMatch(text, "^" + Regex.Escape(line) + "$", RegexOptions.Multiline), $"the unit lacks the line '{line}'");
        }
    }

    [TestMethod]
    public void UnitPassesSystemdAnalyzeVerify()
    {
        var analyze = RequiredComponent.Executable("systemd-analyze", "systemd");
        // verify also checks that ExecStart's program exists: point it at one that does.
        var directory = TempDirectory.Create("iotsec-unit");
        try
        {
            var copy = Path.Combine(directory, "iotsec-gateway.service");
            File.WriteAllText(copy, File.ReadAllText(Unit).Replace("ExecStart=/opt/iotsec-gateway/iotsec-gateway", "ExecStart=/bin/true", StringComparison.Ordinal));
            var result = ProcessTool.Run(analyze, directory, "verify", copy);
            Assert.AreEqual(0, result.ExitCode, result.Output + result.Error);
            Assert.DoesNotContain("iotsec-gateway.service:", result.Error, "no warning about the unit itself");
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [TestMethod]
    public void InstallScriptParsesAndRefusesToRunWithoutRoot()
    {
        var sh = RequiredComponent.Executable("sh", "dash");
        var syntax = ProcessTool.Run(sh, Path.GetTempPath(), "-n", InstallScript);
        Assert.AreEqual(0, syntax.ExitCode, syntax.Error);

        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            var refused = ProcessTool.Run(sh, Path.GetTempPath(), InstallScript, "/nonexistent");
            Assert.AreEqual(1, refused.ExitCode);
            StringAssert.Contains(refused.Error, "must run as root");
            return;
        }

        // As root: run it as nobody through setpriv (util-linux).
        var setpriv = RequiredComponent.Executable("setpriv", "util-linux");
        var asNobody = ProcessTool.Run(setpriv, Path.GetTempPath(), "--reuid=65534", "--regid=65534", "--clear-groups", sh, InstallScript, "/nonexistent");
        Assert.AreEqual(1, asNobody.ExitCode, asNobody.Output + asNobody.Error);
        StringAssert.Contains(asNobody.Error, "must run as root");
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (?<score>\d+(\.\d+)?)")]
    private static partial Regex OverallExposure();
}
