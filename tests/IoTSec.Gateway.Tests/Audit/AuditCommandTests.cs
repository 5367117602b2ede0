using System.Linq;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Tests.Inventory;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Audit;

[TestClass]
public sealed class AuditCommandTests
{
    private TemporaryDataDirectory _dir = null!;

    [TestInitialize]
    public void Create()
    {
        _dir = new TemporaryDataDirectory();
        using var log = AuditLog.Open(_dir.Data);
        log.Append(AuditEventKind.KeyCreated, "system", "DeviceCa");
        log.Append(AuditEventKind.PolicyChange, "cli:op", "allowlist-pump", new JsonObject { ["added"] = "mqtt:telemetry/#" });
        log.Append(AuditEventKind.Revocation, "cli:op", "pump-1", new JsonObject { ["reason"] = "stolen" });
    }

    [TestCleanup]
    public void Remove() => _dir.Dispose();

    [TestMethod]
    public void Verify_prints_count_and_head_and_exits_zero()
    {
        string head;
        using (var log = AuditLog.Open(_dir.Data))
        {
            head = log.Verify().HeadHex;
        }

        var result = GatewayCli.Run(_dir.Path, "audit", "verify");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual($"3 entries, chain intact, head {head}", result.Output.Trim());
    }

    [TestMethod]
    public void Verify_names_the_tampered_entry_and_exits_one()
    {
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            editor.Write(2, "details", "{\"added\":\"*\"}");
        }

        var result = GatewayCli.Run(_dir.Path, "audit", "verify");

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.StartsWith(result.Error, "error: entry #2 tampered: digest mismatch");
    }

    [TestMethod]
    public void Verify_finds_a_cut_tail()
    {
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            editor.Execute("DELETE FROM audit_entries WHERE sequence = 3;");
        }

        var result = GatewayCli.Run(_dir.Path, "audit", "verify");

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.StartsWith(result.Error, "error: entry #3 tampered: tail truncated");
    }

    [TestMethod]
    public void List_filters_by_kind_and_prints_json()
    {
        var result = GatewayCli.Run(_dir.Path, "audit", "list", "--kind", "revocation", "--since", "1h", "--json");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var entries = JsonNode.Parse(result.Output)!.AsArray();
        Assert.AreEqual(1, entries.Count);
        Assert.AreEqual(3L, (long)entries[0]!["sequence"]!);
        Assert.AreEqual("stolen", (string)entries[0]!["details"]!["reason"]!);

        var table = GatewayCli.Run(_dir.Path, "audit", "list");
        Assert.AreEqual(0, table.ExitCode, table.ToString());
        StringAssert.Contains(table.Output, "PolicyChange");
        StringAssert.Contains(table.Output, "3 entries");

        Assert.AreNotEqual(0, GatewayCli.Run(_dir.Path, "audit", "list", "--kind", "nonsense").ExitCode);
        Assert.AreNotEqual(0, GatewayCli.Run(_dir.Path, "audit", "list", "--since", "yesterday-ish").ExitCode);
        Assert.AreEqual(0, JsonNode.Parse(GatewayCli.Run(_dir.Path, "audit", "list", "--since", "2999-01-01", "--json").Output)!.AsArray().Count);
    }

    [TestMethod]
    public void Reanchor_after_a_lost_anchor_is_audited()
    {
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            System.IO.File.Delete(_dir.Data.AuditAnchorDatabase + suffix);
        }

        var lost = GatewayCli.Run(_dir.Path, "audit", "verify");
        Assert.AreEqual(1, lost.ExitCode);
        StringAssert.Contains(lost.Error, "anchor lost");

        var reanchor = GatewayCli.Run(_dir.Path, "audit", "reanchor");
        Assert.AreEqual(0, reanchor.ExitCode, reanchor.ToString());
        StringAssert.StartsWith(reanchor.Output, "anchor reset at entry #4");

        Assert.AreEqual(0, GatewayCli.Run(_dir.Path, "audit", "verify").ExitCode);
        using var log = AuditLog.Open(_dir.Data);
        Assert.AreEqual("AnchorReset", log.List().Last().Kind);
    }
}
