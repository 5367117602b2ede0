using System;
using System.IO;
using System.Linq;
using System.Text;
using IoTSec.Gateway.Core.Backup;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Backup;

/// <summary>The backup manifest parser: what it accepts, and that every refusal names the bad key.</summary>
[TestClass]
public sealed class BackupManifestTests
{
    private static string Seed(string name) =>
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "IoTSec.Fuzz", "corpus", "backup-manifest", name));

    [TestMethod]
    public void TheValidSeedParsesAndRoundTrips()
    {
        var manifest = BackupManifest.Parse(Encoding.UTF8.GetBytes(Seed("seed-valid.json")));

        Assert.AreEqual("gw-a Device CA", manifest.Gateway);
        Assert.HasCount(4, manifest.Files);
        Assert.AreEqual(1, manifest.Files.Single(file => file.Name == "inventory.db").SchemaVersion);
        var again = BackupManifest.Parse(manifest.ToJson());
        Assert.AreEqual(manifest.CreatedAt, again.CreatedAt);
        CollectionAssert.AreEqual(manifest.Files.ToList(), again.Files.ToList());
    }

    [TestMethod]
    [DataRow("seed-newer-version.json", "'version' is 2")]
    [DataRow("seed-wrong-format.json", "'format' is 'tar'")]
    [DataRow("seed-no-secret.json", "lacks 'heartbeat-secret'")]
    [DataRow("seed-duplicate-file.json", "names 'inventory.db' twice")]
    [DataRow("seed-path-traversal.json", "'files[0].name' is '../../etc/passwd'")]
    [DataRow("seed-bad-digest.json", "'files[1].sha256' is not 64 lower-case hex digits")]
    [DataRow("seed-negative-size.json", "'files[1].bytes' is -1")]
    [DataRow("seed-schema-overflow.json", "'files[1].schemaVersion' is out of range")]
    [DataRow("seed-bad-time.json", "'createdAt' is not an ISO 8601 time")]
    [DataRow("seed-array.json", "not a JSON object")]
    public void ARefusalNamesTheBadKey(string seed, string expected)
    {
        var error = Assert.ThrowsExactly<BackupRejectedException>(() => BackupManifest.Parse(Encoding.UTF8.GetBytes(Seed(seed))));

        Assert.AreEqual(BackupRejection.ManifestInvalid, error.Reason);
        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    public void MalformedJsonIsATypedRefusal()
    {
        var error = Assert.ThrowsExactly<BackupRejectedException>(() => BackupManifest.Parse(new byte[] { 0x00, 0xff, 0x7b }));
        StringAssert.Contains(error.Message, "not valid JSON");
        Assert.ThrowsExactly<BackupRejectedException>(() => BackupManifest.Parse(new byte[70_000]));
    }
}
