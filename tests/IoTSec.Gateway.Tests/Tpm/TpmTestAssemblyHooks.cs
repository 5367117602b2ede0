using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tpm;

/// <summary>
/// Stops the process-wide software TPM after the last test of this assembly. MSTest allows one
/// [AssemblyCleanup] per assembly: other areas that need cleanup add their call here.
/// </summary>
[TestClass]
public sealed class TpmTestAssemblyHooks
{
    [AssemblyCleanup]
    public static void StopSharedSoftwareTpm() => SoftwareTpm.ShutdownShared();
}
