using System.Collections.Generic;
using System.IO;
using IoTSec.Fuzz;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Fuzzing;

/// <summary>
/// Replays every committed fuzz corpus input (seeds and what afl++ found) through its
/// target: a decoder must refuse malformed input with its typed exception and nothing
/// else, so a crash found once stays fixed.
/// </summary>
[TestClass]
public sealed class CorpusReplayTests
{
    private static string CorpusRoot => Path.Combine(System.AppContext.BaseDirectory, "corpus");

    public static IEnumerable<object[]> CorpusInputs()
    {
        foreach (var target in FuzzTargets.All)
        {
            var folder = Path.Combine(CorpusRoot, target.Name);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(folder))
            {
                yield return [target.Name, Path.GetFileName(file)];
            }
        }
    }

    [TestMethod]
    public void EveryTarget_HasACommittedCorpus()
    {
        foreach (var target in FuzzTargets.All)
        {
            var folder = Path.Combine(CorpusRoot, target.Name);
            Assert.IsTrue(Directory.Exists(folder), "no corpus folder for fuzz target " + target.Name);
            Assert.IsNotEmpty(Directory.GetFiles(folder), "empty corpus for fuzz target " + target.Name);
        }
    }

    [TestMethod]
    [DynamicData(nameof(CorpusInputs))]
    public void CorpusInput_IsRefusedOrAccepted_NeverCrashes(string targetName, string fileName)
    {
        var target = FuzzTargets.Find(targetName)!;
        target.Run(File.ReadAllBytes(Path.Combine(CorpusRoot, targetName, fileName)));
    }
}
