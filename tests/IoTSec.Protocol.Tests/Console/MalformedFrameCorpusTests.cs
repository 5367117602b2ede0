using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IoTSec.Protocol.Console;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// Outside input never escapes as anything but <see cref="ConsoleProtocolException"/>: the
/// seed corpus of the console-frame fuzz target (tests/IoTSec.Fuzz/corpus/console-frame,
/// written by tests/IoTSec.Fuzz/seeds/console_frame_seeds.py) and mutations of it.
/// </summary>
[TestClass]
public sealed class MalformedFrameCorpusTests
{
    private static string CorpusDirectory => Path.Combine(AppContext.BaseDirectory, "corpus", "console-frame");

    public static IEnumerable<object[]> Seeds() =>
        Directory.GetFiles(CorpusDirectory, "seed-*.bin").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [TestMethod]
    public void TheCorpusHoldsValidAndMalformedSeeds()
    {
        var names = Seeds().Select(s => (string)s[0]).ToList();
        Assert.IsGreaterThanOrEqualTo(5, names.Count(n => n.StartsWith("seed-valid-", StringComparison.Ordinal)));
        Assert.IsGreaterThanOrEqualTo(8, names.Count(n => n.StartsWith("seed-malformed-", StringComparison.Ordinal)));
    }

    [TestMethod]
    [DynamicData(nameof(Seeds))]
    public void Seed_IsReadAsItsNameSays_InAnyReadSize(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(CorpusDirectory, name));
        foreach (int readSize in new[] { 1, 7, 4096 })
        {
            var (frames, rejected) = ReadAll(bytes, readSize);
            string where = name + ", reads of " + readSize;
            if (name.StartsWith("seed-valid-", StringComparison.Ordinal))
            {
                Assert.IsNotEmpty(frames, where);
                Assert.AreEqual(0, rejected, where);
            }
            else if (name.StartsWith("seed-malformed-", StringComparison.Ordinal))
            {
                Assert.IsEmpty(frames, where);
                Assert.IsGreaterThan(0, rejected, where);
            }
            else
            {
                Assert.IsNotEmpty(frames, where);
                Assert.IsGreaterThan(0, rejected, where);
            }
        }
    }

    [TestMethod]
    public void ValidSeeds_DecodeToTheFramesTheGeneratorWrote()
    {
        var hello = ReadAll(File.ReadAllBytes(Path.Combine(CorpusDirectory, "seed-valid-hello-request.bin")), 4096).Frames.Single();
        Assert.AreEqual(ConsoleFrameKind.Request, hello.Kind);
        Assert.AreEqual((ushort)0x1234, hello.Sequence);
        Assert.AreEqual((byte)ConsoleCommand.Hello, hello.Code);

        var big = ReadAll(File.ReadAllBytes(Path.Combine(CorpusDirectory, "seed-valid-max-payload.bin")), 4096).Frames.Single();
        Assert.AreEqual(ConsoleFrame.MaxPayloadLength, big.PayloadLength);
        Assert.AreEqual((byte)ConsoleCommand.WriteBirthKey, big.Code);

        var stale = ReadAll(File.ReadAllBytes(Path.Combine(CorpusDirectory, "seed-valid-stale-sequence-error.bin")), 4096).Frames.Single();
        Assert.AreEqual((byte)ConsoleStatus.StaleSequence, stale.Code);
        CollectionAssert.AreEqual(new byte[] { 0x00, 0x06 }, stale.GetPayload());
    }

    [TestMethod]
    public void MutatedSeeds_YieldFramesOrTypedRejections_NeverAnotherException()
    {
        var seeds = Directory.GetFiles(CorpusDirectory, "seed-*.bin").Select(File.ReadAllBytes).ToArray();
        var random = new Random(404);
        int decoded = 0, rejected = 0;
        for (int trial = 0; trial < 20000; trial++)
        {
            var input = Mutate(seeds[random.Next(seeds.Length)], seeds[random.Next(seeds.Length)], random);

            // Each delimited chunk through the decoders directly...
            foreach (var chunk in Split(input))
            {
                try
                {
                    var raw = Cobs.Decode(chunk, 0, chunk.Length);
                    ConsoleFrameCodec.Decode(raw, 0, raw.Length);
                    decoded++;
                }
                catch (ConsoleProtocolException)
                {
                    rejected++;
                }
            }

            // ...and the whole stream through the reader and the device's session.
            ReadAll(input, 1 + random.Next(64));
            var channel = new MemoryChannel();
            channel.Enqueue(input);
            var server = new ConsoleServerSession(channel, new ProvisioningHandlerStub());
            for (int polls = 0; polls < 64 || channel.Pending > 0; polls++)
            {
                server.Poll(0);
            }
        }

        Assert.IsGreaterThan(1000, decoded, "mutations left some frames intact");
        Assert.IsGreaterThan(1000, rejected);
    }

    private static (List<ConsoleFrame> Frames, int Rejected) ReadAll(byte[] input, int readSize)
    {
        var channel = new MemoryChannel { MaxReadLength = readSize };
        channel.Enqueue(input);
        var reader = new FrameReader(channel);
        var frames = new List<ConsoleFrame>();
        while (true)
        {
            var result = reader.Read(10);
            if (result == FrameReadResult.Timeout && channel.Pending == 0)
            {
                return (frames, reader.FramesRejected);
            }

            if (result == FrameReadResult.Frame)
            {
                frames.Add(reader.Frame);
            }
        }
    }

    private static IEnumerable<byte[]> Split(byte[] input)
    {
        int start = 0;
        for (int i = 0; i <= input.Length; i++)
        {
            if (i == input.Length || input[i] == 0)
            {
                if (i > start)
                {
                    yield return input[start..i];
                }

                start = i + 1;
            }
        }
    }

    private static byte[] Mutate(byte[] seed, byte[] other, Random random)
    {
        var bytes = seed.ToList();
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.RemoveAt(at); break;
                case 3: bytes.Insert(at, (byte)random.Next(256)); break;
                case 4: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes.InsertRange(at, other.Skip(random.Next(other.Length)).Take(random.Next(1, 40))); break;
            }
        }

        return bytes.ToArray();
    }
}
