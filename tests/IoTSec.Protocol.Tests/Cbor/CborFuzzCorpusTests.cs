using System;
using System.IO;
using IoTSec.Fuzz.Targets;
using IoTSec.Protocol.Cbor;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Cbor;

/// <summary>
/// The fuzzing seeds in tests/IoTSec.Fuzz/corpus/cbor: valid seeds decode completely, and
/// malformed ones are refused with a <see cref="CborException"/> and nothing else, so the
/// fuzzer starts from inputs whose outcome is known.
/// </summary>
[TestClass]
public sealed class CborFuzzCorpusTests
{
    [TestMethod]
    public void Seeds_DecodeOrAreRefusedWithCborException()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "corpus", "cbor");
        var seeds = Directory.GetFiles(directory, "seed-*.bin");
        Assert.IsGreaterThanOrEqualTo(10, seeds.Length, "seeds in " + directory);

        foreach (var path in seeds)
        {
            var name = Path.GetFileName(path);
            var input = File.ReadAllBytes(path);
            if (name.StartsWith("seed-valid-", StringComparison.Ordinal))
            {
                CborMalformedTests.ReadWhole(input);
                var reader = new IoTSec.Protocol.Cbor.CborReader(input);
                var writer = new IoTSec.Protocol.Cbor.CborWriter();
                CborTranscoder.Copy(reader, writer);
                CollectionAssert.AreEqual(input, writer.Encode(), name + " re-encodes to itself");
            }
            else
            {
                Assert.StartsWith("seed-malformed-", name);
                Assert.ThrowsExactly<CborException>(() => CborMalformedTests.ReadWhole(input), name);
            }
        }
    }
}
