using System.Collections.Generic;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace IoTSec.NanoGate;

internal static class MetadataReaderExtensions
{
    /// <summary>Enumerates the MethodSpec table, which MetadataReader exposes only by row number.</summary>
    public static IEnumerable<MethodSpecificationHandle> MethodSpecifications(this MetadataReader reader)
    {
        var rows = reader.GetTableRowCount(TableIndex.MethodSpec);
        for (var row = 1; row <= rows; row++)
        {
            yield return MetadataTokens.MethodSpecificationHandle(row);
        }
    }
}
