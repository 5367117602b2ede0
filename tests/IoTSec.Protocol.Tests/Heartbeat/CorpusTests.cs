using System;
using System.Collections.Generic;
using System.IO;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Topics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Heartbeat.HeartbeatVectors;

namespace IoTSec.Protocol.Tests.Heartbeat;

/// <summary>
/// Replays the fuzz seeds of this area (made by make_corpus.py): a seed named
/// seed-valid-*.bin decodes, any other seed-REASON-*.bin is refused with that reason, and
/// nothing else is ever thrown.
/// </summary>
[TestClass]
public sealed class CorpusTests
{
    public static IEnumerable<object[]> Seeds()
    {
        foreach (string target in new[] { "heartbeat", "hb-ack", "command", "ota-offer", "cmd-ack", "heartbeat-key", "chain-state" })
        {
            string folder = Path.Combine(AppContext.BaseDirectory, "corpus", target);
            foreach (string file in Directory.GetFiles(folder, "seed-*.bin"))
            {
                yield return [target, Path.GetFileName(file)];
            }
        }
    }

    [TestMethod]
    public void EveryTargetHasSeeds()
    {
        var counts = new Dictionary<string, int>();
        foreach (object[] seed in Seeds())
        {
            counts[(string)seed[0]] = counts.GetValueOrDefault((string)seed[0]) + 1;
        }

        Assert.HasCount(7, counts);
        foreach (var pair in counts)
        {
            Assert.IsGreaterThanOrEqualTo(5, pair.Value, pair.Key);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Seeds))]
    public void Seed_DecodesOrIsRefusedAsItsNameSays(string target, string file)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "corpus", target, file));
        string expected = file.Split('-')[1];
        string actual;
        try
        {
            Decode(target, input);
            actual = "valid";
        }
        catch (HeartbeatRejectedException e)
        {
            actual = e.Reason.ToString();
        }
        catch (MessageRejectedException e)
        {
            actual = e.Reason.ToString();
        }
        catch (HeartbeatKeyRejectedException e)
        {
            actual = e.Reason.ToString();
        }
        catch (ChainStateRejectedException e)
        {
            actual = e.Reason.ToString();
        }

        Assert.AreEqual(expected, actual.ToLowerInvariant(), target + "/" + file);
    }

    private static void Decode(string target, byte[] input)
    {
        switch (target)
        {
            case "heartbeat":
                HeartbeatDecoder.Decode(input, Key);
                break;
            case "hb-ack":
                HeartbeatAck.Decode(input, Key);
                break;
            case "command":
                DeviceCommand.Decode(input, Key);
                break;
            case "ota-offer":
                OtaOffer.Decode(input, Key);
                break;
            case "cmd-ack":
                CommandAck.Decode(input);
                break;
            case "heartbeat-key":
                HeartbeatKeyResponse.Decode(input);
                break;
            case "chain-state":
                HeartbeatChainVerifier.Deserialize(input);
                break;
            default:
                throw new ArgumentException(target);
        }
    }
}
