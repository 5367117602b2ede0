using System;
using IoTSec.Protocol.Manifest;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Manifest;

/// <summary>Semantic Versioning 2.0.0: the precedence examples of semver §11 and the grammar's refusals.</summary>
[TestClass]
public sealed class SemanticVersionTests
{
    [TestMethod]
    public void Precedence_FollowsTheSemverExamples()
    {
        // semver.org §11: each version precedes the next.
        string[] ordered =
        [
            "0.0.0", "0.0.1", "0.1.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
            "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1", "2.10.0",
            "10.0.0", "2147483647.0.0",
        ];
        for (int i = 0; i < ordered.Length; i++)
        {
            for (int j = 0; j < ordered.Length; j++)
            {
                int expected = Math.Sign(i.CompareTo(j));
                int actual = SemanticVersion.Parse(ordered[i]).CompareTo(SemanticVersion.Parse(ordered[j]));
                Assert.AreEqual(expected, actual, ordered[i] + " vs " + ordered[j]);
            }
        }
    }

    [TestMethod]
    [DataRow("1.0.0+build.1", "1.0.0+build.2")]
    [DataRow("1.0.0-rc.1+x", "1.0.0-rc.1")]
    [DataRow("1.0.0-x-y", "1.0.0-x-y+0001")]
    public void BuildMetadata_IsIgnored(string a, string b)
    {
        Assert.AreEqual(0, SemanticVersion.Parse(a).CompareTo(SemanticVersion.Parse(b)));
    }

    [TestMethod]
    [DataRow("1.0.0-2", "1.0.0-10")]
    [DataRow("1.0.0-9", "1.0.0-a")]
    [DataRow("1.0.0-A", "1.0.0-a")]
    [DataRow("1.0.0-a", "1.0.0-a.0")]
    [DataRow("1.0.0-a.b", "1.0.0-a-b")]
    public void PreReleaseIdentifiers_CompareAsSemverSays(string lower, string higher)
    {
        Assert.IsLessThan(0, SemanticVersion.Parse(lower).CompareTo(SemanticVersion.Parse(higher)));
        Assert.IsGreaterThan(0, SemanticVersion.Parse(higher).CompareTo(SemanticVersion.Parse(lower)));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("1")]
    [DataRow("1.0")]
    [DataRow("1.0.0.0")]
    [DataRow("v1.0.0")]
    [DataRow("01.0.0")]
    [DataRow("1.00.0")]
    [DataRow("1.0.-1")]
    [DataRow("1.0.0-")]
    [DataRow("1.0.0-01")]
    [DataRow("1.0.0-a..b")]
    [DataRow("1.0.0-a.")]
    [DataRow("1.0.0+")]
    [DataRow("1.0.0+a..b")]
    [DataRow("1.0.0-a_b")]
    [DataRow("1.0.0 ")]
    [DataRow("2147483648.0.0")]
    [DataRow("1.0.0-é")]
    public void InvalidVersions_AreRefused(string text)
    {
        Assert.IsFalse(SemanticVersion.IsValid(text));
        Assert.ThrowsExactly<ArgumentException>(() => SemanticVersion.Parse(text));
    }

    [TestMethod]
    public void LongVersions_AreRefused()
    {
        var longest = "1.0.0-" + new string('a', SemanticVersion.MaxLength - 6);
        Assert.IsTrue(SemanticVersion.IsValid(longest));
        Assert.IsFalse(SemanticVersion.IsValid(longest + "a"));
    }

    [TestMethod]
    public void Parse_ExposesTheParts()
    {
        var version = SemanticVersion.Parse("3.14.15-rc.1+sha.abc");
        Assert.AreEqual(3, version.Major);
        Assert.AreEqual(14, version.Minor);
        Assert.AreEqual(15, version.Patch);
        Assert.IsTrue(version.IsPreRelease);
        Assert.AreEqual("3.14.15-rc.1+sha.abc", version.ToString());
        Assert.IsTrue(SemanticVersion.Parse("1.0.0-0+build").IsPreRelease);
        Assert.IsFalse(SemanticVersion.Parse("1.0.0+build").IsPreRelease);
        Assert.IsFalse(SemanticVersion.IsValid(null!));
    }
}
