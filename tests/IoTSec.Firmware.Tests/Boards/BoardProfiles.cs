using System.Collections.Generic;
using System.IO;
using System.Linq;
using IoTSec.Testing;

namespace IoTSec.Firmware.Tests.Boards;

/// <summary>Where the profiles are, and every one of them (a new file is picked up by the tests without listing it).</summary>
public static class BoardProfiles
{
    /// <summary>hardware/boards.</summary>
    public static string Directory { get; } = RepositoryPaths.Combine("hardware", "boards");

    /// <summary>Every profile file (everything in hardware/boards ending .json except the schema).</summary>
    public static IEnumerable<string> Files =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Where(f => !f.EndsWith(".schema.json", System.StringComparison.Ordinal))
            .OrderBy(f => f, System.StringComparer.Ordinal);

    /// <summary>The profile files as MSTest rows (file name only, for readable test names).</summary>
    public static IEnumerable<object[]> Rows => Files.Select(f => new object[] { Path.GetFileName(f) });
}
