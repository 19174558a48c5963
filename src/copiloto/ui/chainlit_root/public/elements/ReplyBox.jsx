import { useState } from "react"
import { Button } from "@/components/ui/button"
import { Textarea } from "@/components/ui/textarea"
import { Badge } from "@/components/ui/badge"
import { Send, Copy, RefreshCw, Check } from "lucide-react"

// An editable reply suggestion. The seller edits the text; "Enviar" sends exactly what is in the box.
export default function ReplyBox() {
  const [text, setText] = useState(props.text || "")
  const [busy, setBusy] = useState(false)
  const sent = props.status === "sent"
  const payload = () => ({ suggestion_id: props.suggestion_id, tone: props.tone, text })

  const send = async () => {
    setBusy(true)
    try {
      await callAction({ name: "send_reply", payload: payload() })
    } finally {
      setBusy(false)
    }
  }
  const copy = async () => {
    try { await navigator.clipboard.writeText(text) } catch (e) { /* clipboard may be blocked */ }
    await callAction({ name: "copy_reply", payload: payload() })
  }
  const otherTone = () => callAction({ name: "other_tone", payload: payload() })

  return (
    <div className="reply-box flex flex-col gap-2 rounded-lg border p-3 my-1" data-tone={props.tone}>
      <div className="flex items-center justify-between">
        <Badge variant="outline">Tom: {props.tone}</Badge>
        {props.flagged ? <Badge variant="destructive">confira os números</Badge> : null}
        {sent ? <Badge><Check className="h-3 w-3 mr-1" />{props.status_label || "enviado"}</Badge> : null}
      </div>
      <Textarea
        className="reply-text min-h-[96px]"
        value={text}
        disabled={sent}
        aria-label={"Sugestão em tom " + props.tone}
        onChange={(e) => setText(e.target.value)}
      />
      {props.error ? <div className="text-sm text-red-600">{props.error}</div> : null}
      <div className="flex gap-2">
        <Button size="sm" className="reply-send" disabled={busy || sent || !text.trim()} onClick={send}>
          <Send className="h-4 w-4 mr-1" /> Enviar
        </Button>
        <Button size="sm" variant="outline" className="reply-copy" onClick={copy}>
          <Copy className="h-4 w-4 mr-1" /> Copiar
        </Button>
        <Button size="sm" variant="outline" className="reply-other" disabled={sent} onClick={otherTone}>
          <RefreshCw className="h-4 w-4 mr-1" /> Outro tom
        </Button>
      </div>
    </div>
  )
}
