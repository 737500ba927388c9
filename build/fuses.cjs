// electron-builder afterPack hook: sets the Electron fuses of the packed binary for a production
// app before it is signed. RunAsNode stays on for one reason: the installed `quorum` command is the
// app's binary run with ELECTRON_RUN_AS_NODE (resources/bin/quorum). Everything else that lets the
// binary run code other than the app's own archive is off.
const { join } = require('node:path');
const { existsSync, readFileSync } = require('node:fs');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

const FUSES = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: true,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

function binaryOf(context) {
  const { electronPlatformName, appOutDir, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return join(appOutDir, `${name}.app`, 'Contents', 'MacOS', name);
  }
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName);
}

/** True for a real Electron binary (it carries the fuse wire's sentinel). */
function hasFuseWire(binary) {
  return existsSync(binary) && readFileSync(binary).includes('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
}

module.exports = async function afterPack(context) {
  const binary = binaryOf(context);
  if (!hasFuseWire(binary)) {
    // Only the offline packaging check uses a stand-in binary; a release must never ship unfused.
    if (process.env.QUORUM_PACKAGING_CHECK === '1') {
      console.log(`fuses: ${binary} is a stand-in without a fuse wire; not flipped (packaging check)`);
      return;
    }
    throw new Error(`fuses: ${binary} is not an Electron binary with a fuse wire`);
  }
  await flipFuses(binary, {
    ...FUSES,
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === 3 /* arm64 */,
  });
};
module.exports.FUSES = FUSES;
