using System;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Forwarder;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Forwarder;

[TestClass]
public sealed class MergePatchTests
{
    [TestMethod]
    public void ADiffCarriesOnlyChangedAddedAndRemovedMembers()
    {
        var from = Obj("""{"counter":1,"serial":"SN-1","temp":20.5,"gone":true,"nested":{"a":1,"b":2}}""");
        var to = Obj("""{"counter":2,"serial":"SN-1","temp":20.5,"new":"x","nested":{"a":1,"b":3}}""");

        var patch = MergePatch.Diff(from, to);

        Assert.AreEqual("""{"gone":null,"counter":2,"new":"x","nested":{"b":3}}""", patch.ToJsonString());
        Assert.IsTrue(JsonNode.DeepEquals(to, MergePatch.Apply(from, patch)));
    }

    [TestMethod]
    public void AnUnchangedDocumentGivesAnEmptyPatch() =>
        Assert.AreEqual(0, MergePatch.Diff(Obj("""{"a":[1,2],"b":{"c":1}}"""), Obj("""{"a":[1,2],"b":{"c":1}}""")).Count);

    // RFC 7396 appendix A examples.
    [TestMethod]
    [DataRow("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [DataRow("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [DataRow("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [DataRow("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [DataRow("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [DataRow("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [DataRow("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [DataRow("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [DataRow("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [DataRow("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void ApplyFollowsRfc7396(string target, string patch, string expected) =>
        Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse(expected), MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch))), MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch))!.ToJsonString());

    [TestMethod]
    [DataRow("""{"a":1,"o":{"x":1}}""", """{"b":null,"o":{"y":2}}""", """{"a":{"z":3},"o":{"x":null}}""")]
    [DataRow("""{"a":{"b":1}}""", """{"a":{"b":1,"c":null}}""", """{"a":{"c":2}}""")]
    [DataRow("""{"o":{"p":1,"q":2}}""", """{"o":{"p":null}}""", """{"o":{"r":{"s":null,"t":1}},"n":null}""")]
    public void ComposingTwoPatchesEqualsApplyingThemInTurn(string document, string first, string second)
    {
        var start = JsonNode.Parse(document);
        var a = Obj(first);
        var b = Obj(second);

        var inTurn = MergePatch.Apply(MergePatch.Apply(start, a), b);
        Assert.IsTrue(MergePatch.TryCompose(a, b, out var patch));
        var composed = MergePatch.Apply(start, patch);

        Assert.IsTrue(JsonNode.DeepEquals(inTurn, composed), $"in turn {inTurn!.ToJsonString()} composed {composed!.ToJsonString()}");
    }

    [TestMethod]
    [DataRow("""{"o":null}""", """{"o":{"r":1}}""")]
    [DataRow("""{"o":5}""", """{"o":{"r":1}}""")]
    [DataRow("""{"x":{"o":null}}""", """{"x":{"o":{"r":1}}}""")]
    public void PatchesThatWouldReplaceAnObjectWholeDoNotCompose(string first, string second) =>
        Assert.IsFalse(MergePatch.TryCompose(Obj(first), Obj(second), out _), "the caller sends a snapshot instead");

    [TestMethod]
    public void ComposedRandomDiffsReproduceTheLastDocument()
    {
        var random = new Random(7);
        var documents = new JsonObject[40];
        for (var i = 0; i < documents.Length; i++)
        {
            documents[i] = RandomDocument(random, depth: 0);
        }

        // As the spool merges: compose while possible, else restart from a snapshot.
        var baseDocument = documents[0];
        var composed = new JsonObject();
        var composedCount = 0;
        for (var i = 1; i < documents.Length; i++)
        {
            var diff = MergePatch.Diff(documents[i - 1], documents[i]);
            Assert.IsTrue(JsonNode.DeepEquals(documents[i], MergePatch.Apply(documents[i - 1], diff)), $"diff {i}");
            if (MergePatch.TryCompose(composed, diff, out var next))
            {
                composed = next;
                composedCount++;
            }
            else
            {
                baseDocument = documents[i];
                composed = new JsonObject();
            }

            Assert.IsTrue(JsonNode.DeepEquals(documents[i], MergePatch.Apply(baseDocument, composed)), $"composed up to {i}");
        }

        Assert.IsGreaterThan(10, composedCount, "most pairs compose");
    }

    private static JsonObject RandomDocument(Random random, int depth)
    {
        var document = new JsonObject();
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            switch (random.Next(5))
            {
                case 0:
                    break;
                case 1:
                    document[name] = random.Next(3);
                    break;
                case 2:
                    document[name] = new JsonArray(random.Next(2), "x");
                    break;
                default:
                    document[name] = depth < 2 ? RandomDocument(random, depth + 1) : "leaf";
                    break;
            }
        }

        return document;
    }

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}
