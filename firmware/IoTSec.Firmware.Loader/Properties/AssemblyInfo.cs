using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("IoTSec.Firmware.Loader")]
[assembly: AssemblyDescription("IoTSec firmware for .NET nanoFramework (issue 7)")]
[assembly: AssemblyProduct("IoTSec")]
[assembly: AssemblyCompany("IoTSec")]
[assembly: ComVisible(false)]

// nanoCLR matches assembly references by version: bundles and the loader's deployment are
// built together from one commit, so the version is fixed here and raised with every release.
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
