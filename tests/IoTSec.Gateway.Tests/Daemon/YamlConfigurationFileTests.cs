using System;
using System.Linq;
using System.Text;
using System.Threading;
using IoTSec.Gateway.Configuration;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary>The YAML layer: the mapping to configuration keys, and refusals that name FILE:LINE.</summary>
[TestClass]
public sealed class YamlConfigurationFileTests
{
    private static YamlConfigurationFile Parse(string yaml) => YamlConfigurationFile.Parse("gateway.yaml", Encoding.UTF8.GetBytes(yaml));

    private static YamlConfigurationException Refused(string yaml) => Assert.ThrowsExactly<YamlConfigurationException>(() => Parse(yaml));

    [TestMethod]
    public void TopLevelKeysAreMembersOfTheIoTSecSectionAndLoggingIsDotNetsOwn()
    {
        var file = Parse("""
            # comment
            est:
              port: 9443
              address: "0.0.0.0"
            pki:
              serverDnsNames:
                - gw.example
                - gw2.example
              birthTrustAnchors: []
            logging:
              logLevel:
                Microsoft.Hosting.Lifetime: Warning
            """);

        Assert.AreEqual("9443", file.Values["IoTSec:Est:Port"]);
        Assert.AreEqual("0.0.0.0", file.Values["IoTSec:Est:Address"]);
        Assert.AreEqual("gw2.example", file.Values["IoTSec:Pki:ServerDnsNames:1"]);
        Assert.AreEqual("Warning", file.Values["Logging:LogLevel:Microsoft.Hosting.Lifetime"]);
        Assert.IsTrue(file.TryGetLine("IoTSec:Est:Port", out var line));
        Assert.AreEqual(3, line);
        Assert.IsTrue(file.TryGetLine("iotsec:pki:serverdnsnames:1", out line), "keys are case-insensitive");
        Assert.AreEqual(8, line);
    }

    [TestMethod]
    public void AnEmptyFileSetsNothing()
    {
        Assert.IsEmpty(Parse("").Values);
        Assert.IsEmpty(Parse("# only comments\n").Values);
    }

    [TestMethod]
    [DataRow("est:\n  port: 9443\n   address: x\n", 3, DisplayName = "bad indentation")]
    [DataRow("est:\n  port: 1\n  Port: 2\n", 3, DisplayName = "duplicate key, case-insensitively")]
    [DataRow("est:\n  port: 1\n---\nest:\n  port: 2\n", 4, DisplayName = "two documents")]
    [DataRow("- est\n- pki\n", 1, DisplayName = "root is a list")]
    [DataRow("est:\n  ? [a, b]\n  : 1\n", 2, DisplayName = "complex key")]
    [DataRow("est:\n  \"a:b\": 1\n", 2, DisplayName = "key with a colon")]
    public void MalformedFilesAreRefusedWithTheirLine(string yaml, int line)
    {
        var refusal = Refused(yaml);
        Assert.AreEqual(line, refusal.Line, refusal.Message);
        StringAssert.StartsWith(refusal.Message, $"gateway.yaml:{line}: ");
    }

    [TestMethod]
    public void AliasesCannotExpandWithoutBound()
    {
        // "Billion laughs": each level doubles the keys; the reader stops at MaxKeys.
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 12; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        StringAssert.Contains(Refused(yaml.ToString()).Message, "more than 10000 settings");
    }

    [TestMethod]
    [DataRow("&a [*a]: x", DisplayName = "a cyclic sequence as a key")]
    [DataRow("a: &a [*a]", DisplayName = "a cyclic sequence as a value")]
    [DataRow("a: &a\n  b: *a", DisplayName = "a cyclic mapping")]
    public void ACyclicAliasIsRefusedWithItsLine(string yaml)
    {
        // Found by fuzzing the provisioning profile reader: a cycle used as a mapping key sent
        // YamlDotNet's loader into unbounded recursion (a stack overflow kills the process).
        StringAssert.Contains(Refused(yaml).Message, "refers to a collection that contains it");
    }

    [TestMethod]
    public void AnAliasToAFinishedNodeIsStillAllowed()
    {
        var file = YamlConfigurationFile.Parse("gateway.yaml", "a: &names [x, y]\nb: *names\n"u8);
        Assert.AreEqual("y", file.Values["IoTSec:b:1"]);
    }

    [TestMethod]
    [DataRow("a: ", "[", DisplayName = "flow sequences")]
    [DataRow("a: ", "{a: ", DisplayName = "flow mappings")]
    public void DeepFlowNestingIsRefusedBeforeItReachesTheParser(string prefix, string opener)
    {
        // Found by fuzzing: 100,000 nested '[' overflowed YamlDotNet's stack and killed the process.
        var refusal = Refused(prefix + string.Concat(Enumerable.Repeat(opener, 100_000)));
        StringAssert.Contains(refusal.Message, "more than 256");
    }

    [TestMethod]
    public void NestingUpToTheBoundParsesInASmallStack()
    {
        var yaml = "a: " + new string('[', YamlConfigurationFile.MaxFlowCollections) + new string(']', YamlConfigurationFile.MaxFlowCollections);
        Exception? outcome = null;
        var thread = new Thread(() =>
        {
            try
            {
                Parse(yaml);
            }
            catch (YamlConfigurationException e)
            {
                outcome = e;
            }
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        StringAssert.Contains(outcome?.Message, "nested deeper than 32 levels", "refused by the reader's own depth bound, not by a stack overflow");
    }

    [TestMethod]
    [DataRow("a: !<%>\n", DisplayName = "tag that is not a URI")]
    [DataRow("a: \"\\UFFFFFFFF\"\n", DisplayName = "escape beyond Unicode")]
    public void ParserExceptionsOtherThanYamlExceptionAreRefusals(string yaml)
    {
        // Found by fuzzing: YamlDotNet reports these with ArgumentException / InvalidOperationException.
        StringAssert.Contains(Refused(yaml).Message, "gateway.yaml");
    }

    [TestMethod]
    public void NotUtf8IsRefused()
    {
        var refusal = Assert.ThrowsExactly<YamlConfigurationException>(() => YamlConfigurationFile.Parse("gateway.yaml", [0x65, 0x73, 0x74, 0x3a, 0xff, 0xfe]));
        StringAssert.Contains(refusal.Message, "not UTF-8");
    }

    [TestMethod]
    public void OversizedFileIsRefused()
    {
        var refusal = Assert.ThrowsExactly<YamlConfigurationException>(() => YamlConfigurationFile.Parse("gateway.yaml", new byte[YamlConfigurationFile.MaxBytes + 1]));
        StringAssert.Contains(refusal.Message, "larger than");
    }
}
