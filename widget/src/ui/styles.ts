/**
 * The widget's styles, scoped to its shadow root. `:host { all: initial !important }`
 * (an inner !important beats the page's !important across the shadow boundary) cuts
 * every inherited property off from the host page; `.bd-root` then sets them again.
 * Sizes are px, never rem, so the page's root font size has no effect.
 */
export const css = `
:host{all:initial!important}
.bd-root{all:initial;--p:#0a3a5c;--pi:#fff;--ac:#c8962e;--ink:#17212e;--mu:#556172;--ln:#dfe5ec;--bg:#f5f7fa;--fo:#1a6fd1;--er:#b42318;
font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:var(--ink);-webkit-font-smoothing:antialiased}
.bd-root *,.bd-root :before,.bd-root :after{box-sizing:border-box;font-family:inherit}
.bd-root [hidden]{display:none!important}
.bd-sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
button{font:inherit;color:inherit;background:none;border:0;margin:0;padding:0;cursor:pointer}
button:focus-visible,a:focus-visible,textarea:focus-visible,[tabindex]:focus-visible{outline:2px solid var(--fo);outline-offset:2px}
svg{display:block;flex:none}
.bd-launcher{position:fixed;right:24px;bottom:24px;z-index:2147483000;width:60px;height:60px;border-radius:50%;display:flex;align-items:center;justify-content:center;background:var(--p);color:var(--pi);box-shadow:0 6px 20px rgba(10,30,50,.28),0 2px 6px rgba(10,30,50,.18);transition:transform .18s}
.bd-launcher:hover{transform:scale(1.05)}
.bd-launcher svg{width:28px;height:28px}
.bd-launcher:focus-visible{outline-width:3px;outline-offset:3px}
.bd-badge{position:absolute;top:-3px;right:-3px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#d92d20;color:#fff;border:2px solid #fff;font-size:12px;font-weight:700;line-height:18px;text-align:center}
.bd-preview{position:fixed;right:24px;bottom:96px;z-index:2147483000;width:300px;max-width:calc(100vw - 48px);background:#fff;border-radius:14px;padding:14px 40px 14px 14px;box-shadow:0 10px 34px rgba(10,30,50,.22);border:1px solid var(--ln);display:flex;gap:10px;cursor:pointer;animation:bd-pop .22s}
.bd-preview-body{min-width:0}
.bd-preview-title{font-size:13px;font-weight:600}
.bd-preview-text{font-size:13.5px;color:#3a4655;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden;overflow-wrap:anywhere}
.bd-preview-close{position:absolute;top:8px;right:8px;width:28px;height:28px;border-radius:8px;display:flex;align-items:center;justify-content:center;color:var(--mu)}
.bd-preview-close svg{width:16px;height:16px}
.bd-panel{position:fixed;right:24px;bottom:96px;z-index:2147483001;width:384px;height:680px;max-height:calc(100vh - 120px);min-height:360px;display:flex;flex-direction:column;overflow:hidden;background:var(--bg);border-radius:16px;box-shadow:0 16px 56px rgba(10,30,50,.26),0 2px 10px rgba(10,30,50,.12);border:1px solid rgba(10,30,50,.08);animation:bd-pop .22s}
@keyframes bd-pop{from{opacity:0;transform:translateY(12px) scale(.98)}}
.bd-header{flex:none;display:flex;align-items:center;gap:12px;padding:16px 12px 16px 18px;background:var(--p) linear-gradient(135deg,rgba(255,255,255,.1),transparent 60%);color:var(--pi)}
.bd-logo,.bd-logo svg{width:40px;height:40px;border-radius:10px}
.bd-logo{box-shadow:0 1px 3px rgba(0,0,0,.2)}
.bd-titles{flex:1;min-width:0}
.bd-title{margin:0;font-size:16px;font-weight:650;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bd-status{margin:2px 0 0;display:flex;align-items:center;gap:6px;font-size:12.5px;line-height:1.35;opacity:.92}
.bd-dot{width:8px;height:8px;border-radius:50%;background:#4ade80;box-shadow:0 0 0 2px rgba(74,222,128,.25);flex:none}
.bd-dot[data-tone=wait]{background:#fbbf24;box-shadow:0 0 0 2px rgba(251,191,36,.25)}
.bd-dot[data-tone=off]{background:#cbd5e1;box-shadow:none}
.bd-close{width:40px;height:40px;border-radius:10px;display:flex;align-items:center;justify-content:center}
.bd-close:hover{background:rgba(255,255,255,.14)}
.bd-close:focus-visible{outline-color:#fff}
.bd-banner{flex:none;display:flex;gap:8px;padding:8px 16px;font-size:12.5px;line-height:1.4;background:#fff4e5;color:#6b3a00;border-bottom:1px solid #f5d9b0}
.bd-banner svg,.bd-meta svg{width:16px;height:16px}
.bd-banner[data-tone=info]{background:#eef4fb;color:#163e66;border-color:#cfe0f2}
.bd-scroll{flex:1;min-height:0;overflow-y:auto;overscroll-behavior:contain;padding:16px 14px 8px}
.bd-log{display:flex;flex-direction:column;gap:2px}
.bd-row{display:flex;gap:8px;align-items:flex-end;margin-top:2px}
.bd-row[data-first]{margin-top:12px}
.bd-row--contact{justify-content:flex-end}
.bd-avatar,.bd-avatar svg{width:28px;height:28px;border-radius:50%}
.bd-avatar{flex:none;display:flex;align-items:center;justify-content:center;font-size:11px;font-weight:700;color:#fff;background:#0f6e66;overflow:hidden}
.bd-avatar[data-hide]{visibility:hidden}
.bd-col{display:flex;flex-direction:column;min-width:0;max-width:82%}
.bd-row--contact .bd-col{align-items:flex-end;max-width:80%}
.bd-label{display:flex;align-items:center;gap:6px;margin:0 0 4px 2px;font-size:12px;font-weight:600;color:var(--mu)}
.bd-ai{font-size:10px;font-weight:700;padding:1px 5px;border-radius:4px;background:#e3ebf4;color:#24466a}
.bd-role{font-weight:500}
.bd-bubble{padding:9px 13px;border-radius:16px 16px 16px 6px;font-size:14.5px;overflow-wrap:anywhere;background:#fff;border:1px solid var(--ln)}
.bd-row--agent .bd-bubble{background:#eaf3f2;border-color:#c9e1de}
.bd-row--contact .bd-bubble{background:var(--p);color:var(--pi);border:0;border-radius:16px 16px 6px;white-space:pre-wrap}
.bd-row--contact:not([data-state=sent]) .bd-bubble{opacity:.8}
.bd-bubble[data-streaming]:after{content:"";display:inline-block;width:7px;height:14px;margin-left:2px;vertical-align:-2px;background:currentColor;opacity:.5;animation:bd-blink 1s steps(2) infinite}
@keyframes bd-blink{50%{opacity:0}}
.bd-md>:first-child{margin-top:0}
.bd-md>:last-child{margin-bottom:0}
.bd-md p,.bd-md ul,.bd-md ol,.bd-md pre,.bd-md blockquote,.bd-md table{margin:0 0 8px}
.bd-md ul,.bd-md ol{padding-left:20px}
.bd-md h1,.bd-md h2,.bd-md h3,.bd-md h4,.bd-md h5,.bd-md h6{font-size:inherit;margin:4px 0}
.bd-md a{color:#0b5394;text-underline-offset:2px}
.bd-md code{font:13px ui-monospace,Menlo,Consolas,monospace;background:rgba(10,58,92,.07);padding:1px 4px;border-radius:4px}
.bd-md pre{background:rgba(10,58,92,.06);padding:8px;border-radius:8px;overflow-x:auto}
.bd-md blockquote{border-left:3px solid var(--ln);padding-left:10px}
.bd-md td,.bd-md th{border:1px solid var(--ln);padding:3px 6px}
.bd-md table{border-collapse:collapse}
.bd-sources{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin:6px 0 0 2px;font-size:12px;color:var(--mu)}
.bd-source{display:inline-flex;align-items:center;gap:4px;max-width:100%;padding:3px 8px;border-radius:999px;background:#fff;border:1px solid var(--ln);color:#0b4c86;text-decoration:none;font-weight:500}
.bd-source:hover{border-color:#9fb4ca;text-decoration:underline}
.bd-source svg{width:13px;height:13px}
.bd-source span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bd-feedback{display:flex;flex-wrap:wrap;align-items:center;gap:4px;margin:6px 0 0 2px;font-size:12px;color:var(--mu)}
.bd-fb{display:inline-flex;align-items:center;justify-content:center;min-width:32px;height:28px;padding:0 8px;border-radius:999px;background:#fff;border:1px solid var(--ln);font-size:14px;line-height:1;filter:grayscale(1);opacity:.8}
.bd-fb:hover{border-color:#9fb4ca;filter:none;opacity:1}
.bd-fb[aria-pressed=true]{filter:none;opacity:1;background:#eef4fa;border-color:var(--p);box-shadow:inset 0 0 0 1px var(--p)}
.bd-feedback[data-sending] .bd-fb{cursor:progress}
.bd-fb-note{margin-left:4px}
.bd-fb-note[data-error]{color:var(--er);font-weight:500}
.bd-fb-human{padding:4px 8px;font-size:12px}
.bd-meta{display:flex;align-items:center;gap:6px;margin:4px 4px 0;font-size:11.5px;color:var(--mu)}
.bd-meta[data-state=failed]{color:var(--er);font-weight:500}
.bd-retry{display:inline-flex;align-items:center;gap:3px;color:var(--er);font-weight:700;text-decoration:underline;padding:2px 4px;border-radius:4px}
.bd-activity{align-self:center;max-width:90%;margin:12px 0 4px;padding:3px 12px;border-radius:999px;background:#e9eef4;color:#45505f;font-size:12px;text-align:center}
.bd-typing{display:flex;align-items:center;gap:8px;margin:10px 0 0 36px;font-size:12px;color:var(--mu)}
.bd-dots{display:inline-flex;gap:4px;padding:10px 12px;background:#fff;border:1px solid var(--ln);border-radius:14px 14px 14px 6px}
.bd-dots i{width:6px;height:6px;border-radius:50%;background:#8896a6;animation:bd-bounce 1.2s infinite}
.bd-dots i:nth-child(2){animation-delay:.15s}
.bd-dots i:nth-child(3){animation-delay:.3s}
@keyframes bd-bounce{30%{transform:translateY(-4px);opacity:1}0%,60%,to{opacity:.6}}
.bd-csat{margin:14px 2px 6px;padding:16px;background:#fff;border:1px solid var(--ln);border-radius:14px;text-align:center}
.bd-csat-title{margin:0 0 10px;font-weight:600}
.bd-nps-scale{display:flex;justify-content:center;gap:3px;flex-wrap:wrap}
.bd-nps-n{position:relative;min-width:26px;height:32px;cursor:pointer;border:1px solid #b9c4d1;border-radius:6px;display:flex;align-items:center;justify-content:center;font-size:13px;font-weight:600;color:#344054}
.bd-nps-n:hover{background:#f4f6f9}
.bd-nps-n:focus-within{outline:2px solid var(--fo)}
.bd-nps-n[data-on]{background:var(--ac,#1d4ed8);border-color:transparent;color:#fff}
.bd-nps-ends{display:flex;justify-content:space-between;margin-top:4px;font-size:11.5px;color:#667085}
.bd-stars{display:flex;justify-content:center;gap:4px}
.bd-star{position:relative;width:40px;height:40px;cursor:pointer;border-radius:8px;display:flex;align-items:center;justify-content:center;color:#7b8797}
.bd-star svg{width:30px;height:30px;fill:none}
.bd-star[data-on]{color:#b7791f}
.bd-star[data-on] svg{fill:#f4b740}
.bd-star:hover{background:#f4f6f9}
.bd-star:focus-within{outline:2px solid var(--fo)}
.bd-csat textarea{display:block;width:100%;margin-top:12px;min-height:64px;resize:vertical;padding:8px 10px;border:1px solid #b9c4d1;border-radius:8px;font-size:13.5px;color:inherit}
.bd-csat-actions,.bd-new{display:flex;justify-content:center;gap:8px;margin-top:12px}
.bd-btn{display:inline-flex;align-items:center;min-height:36px;padding:0 16px;border-radius:999px;font-size:13.5px;font-weight:600;background:var(--p);color:var(--pi)}
.bd-btn[disabled]{opacity:.45;cursor:not-allowed}
.bd-btn--ghost{background:#fff;color:var(--p);border:1px solid var(--ln)}
.bd-btn--ghost:hover{background:#f1f4f8}
.bd-csat-done{margin:0;font-weight:600;color:#1f6f43}
.bd-csat-error{margin:8px 0 0;font-size:12.5px;color:var(--er)}
.bd-chips{flex:none;display:flex;flex-wrap:wrap;gap:6px;padding:4px 14px 10px}
.bd-chip{display:inline-flex;align-items:center;gap:5px;min-height:32px;padding:5px 12px;border-radius:999px;background:#fff;border:1px solid #a9bccf;color:var(--p);font-size:13px;font-weight:500;line-height:1.3;text-align:left}
.bd-chip:hover{background:#eef4fa;border-color:var(--p)}
.bd-chip svg{width:15px;height:15px}
.bd-chip--human{border-style:dashed}
.bd-composer{flex:none;display:flex;align-items:flex-end;gap:6px;margin:0 12px 8px;padding:4px 4px 4px 16px;background:#fff;border:1px solid #c3cdd8;border-radius:24px;transition:border-color .15s,box-shadow .15s}
.bd-composer:focus-within{border-color:var(--p);box-shadow:0 0 0 3px rgba(26,111,209,.18)}
.bd-input{flex:1;display:block;min-height:40px;max-height:132px;resize:none;margin:0;padding:9px 0;border:0;outline:0;background:none;color:inherit;font-size:15px;line-height:1.45}
.bd-input::placeholder{color:#6b7786;opacity:1}
.bd-input:focus-visible{outline:0}
.bd-send{width:38px;height:38px;margin-bottom:1px;border-radius:50%;display:flex;align-items:center;justify-content:center;background:var(--p);color:var(--pi);transition:opacity .15s}
.bd-send svg{width:20px;height:20px}
.bd-send[aria-disabled=true]{opacity:.35;cursor:default}
.bd-attach{width:36px;height:36px;margin:0 -2px 2px -10px;border-radius:50%;display:flex;align-items:center;justify-content:center;color:var(--mu)}
.bd-attach:hover{background:#eef2f6;color:var(--p)}
.bd-attach svg{width:20px;height:20px}
.bd-files{display:flex;flex-wrap:wrap;gap:6px;margin-top:4px}
.bd-row--contact .bd-files{justify-content:flex-end}
.bd-file{display:flex;align-items:center;gap:8px;max-width:240px;padding:8px 12px;border-radius:12px;background:#fff;border:1px solid var(--ln);color:#0b4c86;font-size:13px;font-weight:500;text-align:left}
.bd-file:hover{border-color:#9fb4ca}
.bd-file svg{width:22px;height:22px;color:#b42318}
.bd-file-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bd-file-size{flex:none;color:var(--mu);font-weight:400;font-size:12px}
.bd-file--img{padding:0;overflow:hidden;background:#e9eef4}
.bd-thumb{display:block;width:auto;height:auto;max-width:220px;max-height:180px;min-width:80px;min-height:60px;object-fit:cover}
.bd-card{margin:14px 2px 6px;padding:18px 16px 16px;background:#fff;border:1px solid var(--ln);border-radius:14px;box-shadow:0 1px 2px rgba(10,30,50,.05)}
.bd-card-icon{width:36px;height:36px;margin-bottom:8px;border-radius:50%;display:flex;align-items:center;justify-content:center;background:#eef4fb;color:var(--p)}
.bd-card-icon svg{width:20px;height:20px}
.bd-card-title{margin:0 0 4px;font-size:15px;font-weight:650}
.bd-card-text{margin:0 0 12px;font-size:13px;color:#3a4655}
.bd-hours{margin-top:-8px;color:var(--mu);font-size:12.5px}
.bd-field{margin-bottom:12px}
.bd-field label{display:block;margin-bottom:4px;font-size:12.5px;font-weight:600;color:#2a3644}
.bd-opt{font-weight:400;color:var(--mu)}
.bd-field input{display:block;width:100%;height:40px;padding:0 12px;border:1px solid #b9c4d1;border-radius:8px;background:#fff;color:inherit;font-size:14.5px}
.bd-field input:focus{outline:0;border-color:var(--p);box-shadow:0 0 0 3px rgba(26,111,209,.18)}
.bd-field input[aria-invalid=true]{border-color:var(--er)}
.bd-code-row{display:flex;gap:8px}
.bd-code-row input{flex:1;min-width:0;letter-spacing:.35em;font-variant-numeric:tabular-nums;font-size:17px}
.bd-code-row .bd-btn{flex:none}
.bd-stepup-status{min-height:1.2em;margin:6px 0 0;font-size:12.5px;color:#3a4655}
.bd-stepup-status[data-tone=error]{color:var(--er)}
.bd-stepup-status[data-tone=ok]{color:#12704a}
.bd-stepup-resend[disabled]{opacity:.5;cursor:default}
.bd-field-err{margin:4px 0 0;font-size:12.5px;color:var(--er)}
.bd-transcript{margin-top:10px;text-align:center}
.bd-transcript .bd-card{text-align:left}
.bd-link{display:inline-flex;align-items:center;gap:6px;padding:6px 10px;border-radius:8px;color:#0b4c86;font-size:13px;font-weight:600}
.bd-link:hover{background:#e9eff6;text-decoration:underline}
.bd-link svg{width:16px;height:16px}
.bd-btn--wide{width:100%;justify-content:center;min-height:40px}
.bd-foot{flex:none;display:flex;align-items:center;justify-content:center;gap:5px;padding:0 12px 10px;font-size:11.5px;color:var(--mu);text-align:center}
.bd-foot svg{width:12px;height:12px}
@media (max-width:480px){
.bd-panel{inset:0;width:100%;height:100%;max-height:none;min-height:0;border-radius:0;border:0}
.bd-root[data-open] .bd-launcher{display:none}
.bd-input,.bd-field input{font-size:16px}
.bd-foot{padding-bottom:max(10px,env(safe-area-inset-bottom))}
.bd-launcher{right:16px;bottom:16px}
.bd-preview{right:16px;bottom:88px}
}
@media (prefers-reduced-motion:reduce){.bd-root *,.bd-root :after{animation:none!important;transition:none!important}}
`;
