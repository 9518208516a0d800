// One <script type="module" src=".../probwasm/dist/embed.js"> registers every <pw-*> widget.
// Widgets share one wasm instance and load nothing until they near the viewport.
import './elements/softmax.js';
import './elements/sector.js';
import './elements/diffusion.js';
import './elements/contrastive.js';
import './elements/attention.js';
import './elements/lora.js';
import './elements/mixers.js';
import './elements/wobert.js';
