import { useDataCipher } from '../../src/app/crypto/active-key';
import { createDataCipher } from '../../src/app/crypto/data-cipher';

// Every unit and API test process runs with a fixed data key, as a started server would after
// `ensureDataKey`; the encryption tests install their own keys and put this one back.
export const TEST_DATA_KEY = Buffer.alloc(32, 0x5a);
useDataCipher(createDataCipher(TEST_DATA_KEY));
