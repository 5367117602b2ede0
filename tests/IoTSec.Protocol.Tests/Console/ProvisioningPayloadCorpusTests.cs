using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IoTSec.Protocol.Console;
using IoTSec.Protocol.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// Outside input never makes the provisioning decoders throw anything but
/// <see cref="ProvisioningPayloadException"/>, nor the device's handler throw at all: the seed
/// corpus tests/IoTSec.Fuzz/corpus/console-payload (each file: command code, then the request
/// payload; written by an independent CBOR encoder), each malformed seed's exact reason, and
/// every bit flip and truncation of the valid seeds.
/// </summary>
[TestClass]
public sealed class ProvisioningPayloadCorpusTests
{
    private static readonly Dictionary<string, ProvisioningPayloadError> ExpectedReasons = new()
    {
        ["hello-empty"] = ProvisioningPayloadError.Malformed,
        ["hello-version-zero"] = ProvisioningPayloadError.OutOfRange,
        ["hello-unknown-key"] = ProvisioningPayloadError.UnknownField,
        ["hello-text-version"] = ProvisioningPayloadError.WrongType,
        ["hello-trailing"] = ProvisioningPayloadError.Malformed,
        ["hello-nonshortest"] = ProvisioningPayloadError.Malformed,
        ["info-payload"] = ProvisioningPayloadError.UnexpectedPayload,
        ["unknown-command"] = ProvisioningPayloadError.UnknownCommand,
        ["write-total-zero"] = ProvisioningPayloadError.OutOfRange,
        ["write-empty-chunk"] = ProvisioningPayloadError.OutOfRange,
        ["write-beyond-total"] = ProvisioningPayloadError.ChunkBeyondTotal,
        ["write-item-too-large"] = ProvisioningPayloadError.ItemTooLarge,
        ["write-huge-total"] = ProvisioningPayloadError.ItemTooLarge,
        ["write-huge-offset"] = ProvisioningPayloadError.ChunkBeyondTotal,
        ["write-unsorted-keys"] = ProvisioningPayloadError.Malformed,
        ["write-duplicate-key"] = ProvisioningPayloadError.Malformed,
        ["write-indefinite-map"] = ProvisioningPayloadError.Malformed,
        ["write-float-offset"] = ProvisioningPayloadError.Malformed,
        ["write-negative-key"] = ProvisioningPayloadError.WrongType,
        ["write-missing-chunk"] = ProvisioningPayloadError.MissingField,
        ["write-unknown-key"] = ProvisioningPayloadError.UnknownField,
        ["write-truncated"] = ProvisioningPayloadError.Malformed,
        ["write-deep-nesting"] = ProvisioningPayloadError.WrongType,
        ["write-array"] = ProvisioningPayloadError.WrongType,
        ["certificate-pem"] = ProvisioningPayloadError.NotDer,
        ["certificate-nonminimal-length"] = ProvisioningPayloadError.NotDer,
        ["certificate-trailing-byte"] = ProvisioningPayloadError.NotDer,
        ["key-pkcs1"] = ProvisioningPayloadError.NotPkcs8,
        ["key-sec1"] = ProvisioningPayloadError.NotPkcs8,
        ["anchors-empty"] = ProvisioningPayloadError.OutOfRange,
        ["anchors-missing-ota-key"] = ProvisioningPayloadError.MissingAnchorKind,
        ["anchors-duplicate-kid"] = ProvisioningPayloadError.DuplicateKeyId,
        ["anchors-unknown-kind"] = ProvisioningPayloadError.UnknownAnchorKind,
        ["anchors-ota-key-not-a-map"] = ProvisioningPayloadError.InvalidCoseKey,
        ["anchors-kid-too-long"] = ProvisioningPayloadError.OutOfRange,
        ["anchors-nine"] = ProvisioningPayloadError.OutOfRange,
        ["config-bad-host"] = ProvisioningPayloadError.InvalidText,
        ["config-trailing-dot-host"] = ProvisioningPayloadError.InvalidText,
        ["config-port-zero"] = ProvisioningPayloadError.OutOfRange,
        ["config-port-too-large"] = ProvisioningPayloadError.OutOfRange,
        ["config-heartbeat-too-short"] = ProvisioningPayloadError.OutOfRange,
        ["config-uppercase-class"] = ProvisioningPayloadError.InvalidText,
        ["config-unknown-key"] = ProvisioningPayloadError.UnknownField,
        ["config-missing-heartbeat"] = ProvisioningPayloadError.MissingField,
        ["lock-empty-id"] = ProvisioningPayloadError.OutOfRange,
        ["lock-space-in-id"] = ProvisioningPayloadError.InvalidText,
        ["lock-invalid-utf8"] = ProvisioningPayloadError.Malformed,
        ["reset-wrong-type"] = ProvisioningPayloadError.WrongType,
    };

    private static string CorpusDirectory => Path.Combine(AppContext.BaseDirectory, "corpus", "console-payload");

    public static IEnumerable<object[]> Seeds() =>
        Directory.GetFiles(CorpusDirectory, "seed-*.bin").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    public static IEnumerable<object[]> ValidSeeds() => Seeds().Where(s => ((string)s[0]).StartsWith("seed-valid-", StringComparison.Ordinal));

    [TestMethod]
    public void TheCorpus_CoversEveryCommand_AndEveryMalformedSeedHasAnExpectedReason()
    {
        var names = Seeds().Select(s => (string)s[0]).ToList();
        var commands = names.Select(n => Read(n)[0]).ToHashSet();
        foreach (ConsoleCommand command in Enum.GetValues<ConsoleCommand>())
        {
            Assert.Contains((byte)command, commands, command.ToString());
        }

        foreach (var name in names.Where(n => n.StartsWith("seed-malformed-", StringComparison.Ordinal)))
        {
            Assert.IsTrue(ExpectedReasons.ContainsKey(Stem(name)), "no expected reason for " + name);
        }

        Assert.HasCount(ExpectedReasons.Count, names.Where(n => n.StartsWith("seed-malformed-", StringComparison.Ordinal)).ToList());
    }

    [TestMethod]
    [DynamicData(nameof(Seeds))]
    public void Seed_IsDecodedOrRefusedAsItsNameSays(string name)
    {
        var input = Read(name);
        byte command = input[0];
        var payload = input[1..];
        var handler = new ProvisioningConsoleHandler(new InMemoryProvisioningTarget());
        byte status = handler.Handle(command, payload, out var response);

        if (name.StartsWith("seed-valid-", StringComparison.Ordinal))
        {
            var request = ProvisioningPayloads.DecodeRequest(command, payload);
            Assert.AreEqual((ConsoleCommand)command, request.Command);
            if (request.Chunk is { Offset: > 0 })
            {
                // Valid on its own, but a fresh device has no transfer for it to continue.
                Assert.AreEqual(ProvisioningPayloadError.ChunkOutOfOrder, ProvisioningDiagnostic.Decode(response).PayloadError);
            }
            else
            {
                Assert.AreNotEqual((byte)ConsoleStatus.BadPayload, status, name);
            }

            return;
        }

        var expected = ExpectedReasons[Stem(name)];
        var e = Assert.ThrowsExactly<ProvisioningPayloadException>(() => ProvisioningPayloads.DecodeRequest(command, payload));
        Assert.AreEqual(expected, e.Reason, e.Message);
        if (expected == ProvisioningPayloadError.UnknownCommand)
        {
            Assert.AreEqual((byte)ConsoleStatus.UnknownCommand, status);
            return;
        }

        Assert.AreEqual((byte)ConsoleStatus.BadPayload, status, name);
        var diagnostic = ProvisioningDiagnostic.Decode(response);
        Assert.AreEqual(expected, diagnostic.PayloadError, diagnostic.Message);
        Assert.IsLessThanOrEqualTo(ProvisioningLimits.MaxDiagnosticMessageLength + 3, diagnostic.Message.Length);
    }

    [TestMethod]
    [DynamicData(nameof(ValidSeeds))]
    public void EveryBitFlipAndTruncation_OfAValidSeed_IsHandledWithoutAnException(string name)
    {
        var input = Read(name);
        var target = new InMemoryProvisioningTarget();
        var handler = new ProvisioningConsoleHandler(target);
        int refused = 0;
        for (int bit = 8; bit < input.Length * 8; bit++)
        {
            var mutated = (byte[])input.Clone();
            mutated[bit / 8] ^= (byte)(1 << (bit % 8));
            refused += Exercise(handler, mutated) ? 0 : 1;
        }

        for (int length = 1; length < input.Length; length++)
        {
            refused += Exercise(handler, input[..length]) ? 0 : 1;
        }

        if (input.Length > 1)
        {
            Assert.IsGreaterThan(0, refused, "some mutations must be refused");
        }
    }

    [TestMethod]
    public void RandomPayloads_AreHandledWithoutAnException()
    {
        var random = new Random(20240611);
        var handler = new ProvisioningConsoleHandler(new InMemoryProvisioningTarget());
        byte[] commands = Enum.GetValues<ConsoleCommand>().Select(c => (byte)c).Append((byte)0x00).Append((byte)0x7E).ToArray();
        for (int i = 0; i < 20000; i++)
        {
            var input = new byte[1 + random.Next(64)];
            random.NextBytes(input);
            input[0] = commands[random.Next(commands.Length)];

            // Start most inputs like a map so they get past the first byte.
            if (input.Length > 1 && random.Next(4) != 0)
            {
                input[1] = (byte)(0xA0 | random.Next(1, 6));
            }

            Exercise(handler, input);
        }
    }

    /// <summary>Runs one fuzz input through the decoder and the handler; true when the decoder accepted it.</summary>
    private static bool Exercise(ProvisioningConsoleHandler handler, byte[] input)
    {
        bool accepted;
        try
        {
            ProvisioningPayloads.DecodeRequest(input[0], input[1..]);
            accepted = true;
        }
        catch (ProvisioningPayloadException)
        {
            accepted = false;
        }

        // The handler may refuse by rule, never by throwing: the reference target throws when
        // a rule is bypassed, which would surface here.
        byte status = handler.Handle(input[0], input[1..], out var response);
        Assert.IsLessThanOrEqualTo(ConsoleFrame.MaxPayloadLength, response.Length);
        if (status == (byte)ConsoleStatus.BadPayload)
        {
            Assert.IsFalse(accepted && handler.LastPayloadError is not (ProvisioningPayloadError.ChunkOutOfOrder or ProvisioningPayloadError.TotalLengthChanged or ProvisioningPayloadError.HardwareIdMismatch),
                "the handler refused what the decoder accepted: " + handler.LastRefusal);
        }

        return accepted;
    }

    private static string Stem(string fileName) => fileName["seed-malformed-".Length..^".bin".Length];

    private static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(CorpusDirectory, name));
}
