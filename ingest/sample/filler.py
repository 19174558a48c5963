"""Everyday exchanges that fill the time between a story's episodes.

They carry no prices, products or dates on purpose: every fact that a question in
evals/retrieval asks about lives in the hand-written story, so filler can never contradict it.
A client line holds three variants, "formal || informal || short", picked by the client's style.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

Exchange = list[tuple[str, str]]

GENERIC: dict[str, list[Exchange]] = {
    "nego": [
        [
            ("s", "Oi {c}, tudo bem? Conseguiu olhar a proposta com calma?"),
            (
                "c",
                "Olá, {s}. Ainda não consegui analisar com atenção, esta semana está corrida. "
                "Retorno em breve. || oi {s}! ainda nao vi direito 😅 semana tá puxada || ainda não",
            ),
            ("s", "Sem problema! Fico à disposição para qualquer dúvida."),
        ],
        [
            ("s", "Bom dia, {c}! Passando para saber se ficou alguma dúvida sobre o orçamento."),
            (
                "c",
                "Bom dia. Por enquanto não, obrigado(a). || bom diaa, por enqto nao, qq coisa te chamo "
                "|| Por enquanto não",
            ),
        ],
        [
            (
                "c",
                "{s}, uma dúvida: o orçamento ainda está válido? || {s} o orçamento ainda ta valendo? "
                "|| ainda vale?",
            ),
            ("s", "Oi {c}! Está sim. Se precisar eu atualizo sem problema."),
            ("c", "Perfeito, obrigado(a). || ah show, brigada 🙏 || ok"),
        ],
        [
            (
                "s",
                "{c}, boa tarde! Consegue me dar um retorno essa semana? Quero reservar o material pra você.",
            ),
            (
                "c",
                "Boa tarde. Consigo sim, até sexta lhe dou uma posição. || consigo sim, ate sexta te falo "
                "|| até sexta",
            ),
            ("s", "Combinado! 👍"),
        ],
        [
            (
                "c",
                "Oi {s}, você pode me ligar amanhã? || {s} me liga amanha? to sem tempo de digitar kkk "
                "|| me liga amanhã",
            ),
            ("s", "Claro, {c}! Te ligo amanhã."),
        ],
        [
            ("s", "Oi {c}! Tudo certo por aí? Qualquer coisa estou por aqui."),
            ("c", "Tudo certo, {s}. Obrigado(a) pelo retorno. || tudo sim e vc? || Tudo"),
            ("s", "Tudo ótimo também! Bom fim de semana 😊"),
        ],
        [
            (
                "c",
                "Você consegue mandar novamente o arquivo? Não estou encontrando aqui. || perdi o arquivo "
                "aqui kkk manda de novo? || manda de novo o arquivo",
            ),
            ("s", "Claro! Já te reenvio por e-mail também."),
            ("c", "Recebi, obrigado(a). || recebii || recebi"),
        ],
        [
            (
                "s",
                "Oi {c}, lembrei de você hoje. Ainda tem interesse? Se não for o momento, sem problema.",
            ),
            (
                "c",
                "Tenho interesse sim, só estou organizando as finanças. || tenho sim, so to me "
                "organizando aqui 😅 || tenho",
            ),
            ("s", "Entendo perfeitamente. Fico no aguardo."),
        ],
        [
            ("c", "{s}, vocês emitem nota fiscal? || vcs dao nota? || tem nota?"),
            ("s", "Emitimos sim, {c}. Nota fiscal de tudo."),
        ],
        [
            (
                "s",
                "{c}, tudo bem? Estamos fechando a agenda do mês que vem. Quer que eu segure uma data?",
            ),
            (
                "c",
                "Ainda não, {s}. Assim que decidir lhe aviso. || ainda nao, qnd decidir te aviso || "
                "não ainda",
            ),
        ],
    ],
    "post": [
        [
            ("s", "Oi {c}! Tudo certo com o seu pedido? Está satisfeito(a)?"),
            (
                "c",
                "Tudo certo, {s}. Estamos muito satisfeitos. || tudo otimo!! amamos 😍 || tudo ok",
            ),
            ("s", "Que bom! Se puder, deixa uma avaliação pra gente no Google 🙏"),
        ],
        [
            (
                "c",
                "{s}, obrigado(a) pelo atendimento. Indiquei vocês para um amigo. || {s} indiquei vcs pro "
                "meu primo viu kkk || indiquei vcs",
            ),
            ("s", "Muito obrigado, {c}! Pode passar meu contato 😊"),
        ],
        [
            ("s", "Bom dia, {c}! Passando só para lembrar que qualquer problema é só chamar aqui."),
            ("c", "Bom dia, {s}. Obrigado(a). || bom diaa obg || 👍"),
        ],
        [
            (
                "s",
                "{c}, feliz aniversário de compra! 🎉 Faz tempo que fizemos seu projeto. Tudo funcionando?",
            ),
            (
                "c",
                "Tudo funcionando perfeitamente. Obrigado(a) por lembrar. || tudo certinho! obg por "
                "lembrar ❤️ || tudo certo",
            ),
        ],
        [
            ("c", "{s}, qual o horário de atendimento de vocês? || vcs abrem sabado? || horário?"),
            ("s", "Segunda a sexta das 8h às 18h e sábado até meio-dia, {c}."),
            ("c", "Obrigado(a). || blz || ok"),
        ],
    ],
    "idle": [
        [
            (
                "s",
                "{c}, tudo bem? Mudamos o nosso Instagram, se quiser acompanhar os projetos novos 😊",
            ),
            ("c", "Vou seguir, obrigado(a). || ja segui!! || ok"),
        ],
        [
            ("c", "{s}, vocês vão abrir no feriado? || vcs abrem no feriado? || abre feriado?"),
            ("s", "No feriado não, {c}. Voltamos no dia seguinte às 8h."),
            ("c", "Obrigado(a) pela informação. || blz obg || ok"),
        ],
        [
            ("s", "Oi {c}! Tudo bem por aí? Faz tempo que não nos falamos."),
            (
                "c",
                "Tudo bem, {s}, correria de sempre. E por aí? || tudo sim, correria kkk e vc? || tudo",
            ),
            ("s", "Por aqui tudo ótimo, graças a Deus! Qualquer coisa estou à disposição."),
        ],
        [
            (
                "c",
                "{s}, você tem o contato de um eletricista de confiança? || {s} vc tem contato de "
                "eletricista bom? || tem eletricista?",
            ),
            (
                "s",
                "Tenho sim, {c}! O Zé Carlos, que trabalha com a gente há anos. Te passo o número por aqui.",
            ),
            ("c", "Obrigado(a)! || aaa obg!! || valeu"),
        ],
        [
            (
                "s",
                "Oi {c}, tudo bem? Estamos com condições especiais este mês. Se quiser, te mando.",
            ),
            ("c", "No momento não, obrigado(a). || agora nao {s}, obg || não"),
        ],
        [
            ("s", "Bom dia, {c}! Só passando pra desejar uma ótima semana 😊"),
            ("c", "Obrigado(a), {s}. Igualmente. || obgg igualmente!! || 👍"),
        ],
        [
            (
                "s",
                "{c}, tudo bem? Tem alguém da família ou amigo que precisa de orçamento? Indicação "
                "fechada ganha um brinde 🎁",
            ),
            ("c", "Vou pensar em alguém e lhe aviso. || vou ver aqui e te falo || vou ver"),
        ],
    ],
    "cold": [
        [("s", "Oi {c}, tudo bem? Conseguiu avaliar a proposta?")],
        [("s", "{c}, bom dia! Posso te ajudar com alguma dúvida sobre o orçamento?")],
        [("s", "Oi {c}! Só para não esquecer: as condições que te passei valem até o fim do mês.")],
        [
            (
                "s",
                "{c}, tudo bem? Se preferir, podemos conversar por ligação. É só me dizer o melhor horário.",
            )
        ],
    ],
}

SEGMENT: dict[str, dict[str, list[Exchange]]] = {
    "solar": {
        "lead": [
            [
                (
                    "c",
                    "Rafael, a instalação faz muita sujeira no telhado? || vai quebrar muita telha? kkk "
                    "|| quebra telha?",
                ),
                ("s", "Não, {c}. A equipe troca qualquer telha que quebrar, sem custo."),
            ],
            [
                ("c", "Dias nublados produzem energia? || e quando chove gera? || gera com chuva?"),
                (
                    "s",
                    "Gera menos, mas gera. E o crédito de energia que sobra nos dias de sol compensa.",
                ),
            ],
            [
                (
                    "c",
                    "Precisa de autorização da concessionária? || precisa pedir pra CPFL? || precisa CPFL?",
                ),
                ("s", "Precisa, e a gente cuida de todo o processo de homologação pra você, {c}."),
            ],
            [
                (
                    "s",
                    "{c}, consegue me mandar uma foto do telhado e do padrão de entrada de energia?",
                ),
                ("c", "Envio ainda hoje. || mando mais tarde || ok"),
            ],
        ],
        "post": [
            [
                ("s", "Oi {c}! Como está a geração pelo aplicativo? Tudo normal?"),
                ("c", "Está tudo normal, obrigado(a). || ta gerando certinho ☀️ || normal"),
            ],
            [
                (
                    "s",
                    "{c}, lembrete: vale fazer uma limpeza das placas a cada seis meses, principalmente "
                    "no período seco.",
                ),
                ("c", "Anotado, obrigado(a). || boa, vou ver isso || ok"),
            ],
        ],
    },
    "moveis": {
        "lead": [
            [
                (
                    "c",
                    "Juliana, vocês fazem o projeto 3D antes de fechar? || vcs mandam o 3D antes? "
                    "|| tem 3D?",
                ),
                ("s", "Fazemos sim, {c}! O projeto 3D é feito depois da medição, sem compromisso."),
            ],
            [
                ("c", "Quais cores de MDF vocês trabalham? || quais cores tem? || cores?"),
                ("s", "Temos mais de 40 padrões, {c}. Posso levar o mostruário na medição."),
            ],
            [
                ("s", "{c}, você tem a planta do apartamento? Ajuda muito no primeiro estudo."),
                (
                    "c",
                    "Tenho, vou procurar e lhe envio. || tenho sim, vou achar e te mando || tenho",
                ),
            ],
        ],
        "post": [
            [
                (
                    "s",
                    "Oi {c}! E aí, como ficaram os móveis no dia a dia? Alguma regulagem de porta?",
                ),
                ("c", "Tudo perfeito, não precisou de nada. || ta tudo lindo!! 😍 || tudo certo"),
            ],
            [
                (
                    "c",
                    "Juliana, qual produto posso usar para limpar o MDF? || q produto uso pra limpar? "
                    "|| limpa com o q?",
                ),
                (
                    "s",
                    "Só pano úmido com detergente neutro, {c}. Nada de álcool ou produto abrasivo.",
                ),
            ],
        ],
    },
    "clima": {
        "lead": [
            [
                (
                    "c",
                    "Anderson, o aparelho inverter gasta mesmo menos energia? || inverter economiza "
                    "msm? || economiza?",
                ),
                ("s", "Economiza bastante, {c}. Chega a gastar 60% menos que o convencional."),
            ],
            [
                ("s", "{c}, a parede onde vai ficar a condensadora é de alvenaria?"),
                ("c", "É de alvenaria, sim. || é sim, tijolo || sim"),
            ],
            [
                ("c", "Precisa de tomada específica? || precisa de tomada especial? || tomada?"),
                ("s", "O ideal é um circuito exclusivo, {c}. Nosso técnico avalia na visita."),
            ],
        ],
        "post": [
            [
                (
                    "s",
                    "Oi {c}! Lembrete da ClimaTec: a limpeza dos filtros deve ser feita a cada 15 dias.",
                ),
                ("c", "Obrigado(a) pelo lembrete. || ah boa, vou limpar || ok"),
            ],
            [
                ("s", "{c}, tudo certo com o ar? Gelando bem nesse calor?"),
                ("c", "Funcionando muito bem, obrigado(a). || gelando mtoo 🥶 kkk || ta ótimo"),
            ],
        ],
    },
}

STYLE_INDEX = {"formal": 0, "informal": 1, "short": 2}


def make_filler(
    *, segment: str, style: str, call: str, seller_first: str, female: bool
) -> Callable[[str, random.Random], Exchange]:
    """A per-chat filler source that does not repeat an exchange until its pool is used up."""
    used: dict[str, list[int]] = {}

    def variant(text: str) -> str:
        parts = [v.strip() for v in text.split("||")]
        text = parts[STYLE_INDEX[style]] if len(parts) == 3 else parts[0]
        text = re.sub(r"o\(a\)", "a", text) if female else text.replace("(a)", "")
        return text.format(c=call, s=seller_first)

    def qa(rng: random.Random, *, after_sale: bool) -> Exchange | None:
        """1-3 questions this client has not asked yet; None when they ran out (never repeat)."""
        bank = QA.get(segment, [])
        ok = ("any",) if after_sale else ("pre", "any")
        left = [i for i, item in enumerate(bank) if item[2] in ok and i not in used.get("qa", [])]
        if not left:
            return None
        out: Exchange = []
        if rng.random() < 0.4:
            out.append(
                (
                    "c",
                    variant(
                        "Boa tarde, {s}. Tenho algumas dúvidas. || {s} tenho umas duvidas "
                        "kkk || dúvida"
                    ),
                )
            )
        for i in rng.sample(left, min(len(left), rng.choice((1, 2, 2, 3)))):
            used.setdefault("qa", []).append(i)
            question, answer, _ = bank[i]
            out.append(("c", variant(question)))
            out.append(("s", variant(answer)))
        if rng.random() < 0.6:
            out.append(("c", variant(rng.choice(ACKS_CLIENT))))
            if rng.random() < 0.5:
                out.append(("s", variant(rng.choice(ACKS_SELLER))))
        return out

    def pick(pool: str, rng: random.Random) -> Exchange:
        if pool in ("lead", "nego", "post", "idle") and rng.random() < 0.45:
            asked = qa(rng, after_sale=pool in ("post", "idle"))
            if asked:
                return asked
        options = SEGMENT.get(segment, {}).get(pool, []) + GENERIC.get(pool, [])
        if pool == "lead" and not options:
            options = GENERIC["nego"]
        if not options:
            raise KeyError(pool)
        left = [i for i in range(len(options)) if i not in used.get(pool, [])]
        if not left or (pool != "cold" and rng.random() < 0.3):
            return check_in(pool, rng)
        i = rng.choice(left)
        used.setdefault(pool, []).append(i)
        return [(who, variant(text)) for who, text in options[i]]

    def check_in(pool: str, rng: random.Random) -> Exchange:
        """A seller check-in assembled from parts, so a long chat never repeats one verbatim."""
        kind = "nego" if pool in ("lead", "nego", "cold") else "post"
        bodies = CHECK_IN[kind] + CHECK_IN.get(f"{segment}:{kind}", [])
        seen = used.setdefault("check_in", [])
        for _ in range(50):
            combo = (
                rng.randrange(len(OPENERS)),
                rng.randrange(len(bodies)),
                rng.randrange(len(CLOSERS)),
            )
            if combo not in seen and (combo[1], kind) not in [(c[1], kind) for c in seen[-3:]]:
                break
        seen.append(combo)
        text = f"{OPENERS[combo[0]]} {bodies[combo[1]]}{CLOSERS[combo[2]]}"
        out: Exchange = [("s", variant(text))]
        if pool == "cold" or rng.random() < 0.2:
            return out  # left unanswered, as many are
        out.append(("c", variant(rng.choice(REPLIES[kind]))))
        return out

    return pick


# Questions clients ask again and again, with the seller's standard answer. Facts here are
# segment-wide (warranty terms, how a visit works) and agree with every story.
QA: dict[str, list[tuple[str, str, str]]] = {
    "solar": [
        (
            "Vocês trabalham com quais marcas de inversor? || q marca de inversor vcs usam? || marca do inversor?",
            "Growatt, Fronius e Deye, {c}. Depende do tamanho do sistema.",
            "pre",
        ),
        (
            "Precisa de reforço no telhado? || o telhado aguenta o peso? || aguenta o peso?",
            "Cada módulo pesa uns 27 kg. Na visita técnica o engenheiro confere a estrutura.",
            "pre",
        ),
        (
            "Quem faz o projeto? || quem assina o projeto? || projeto?",
            "Nosso engenheiro eletricista faz o projeto e assina a ART, {c}.",
            "pre",
        ),
        (
            "Se eu mudar de casa, dá pra levar o sistema? || e se eu mudar levo as placas? || levo junto?",
            "Dá sim, {c}. A gente desmonta e reinstala na casa nova, com um custo de mão de obra.",
            "any",
        ),
        (
            "O crédito de energia vence? || os creditos vencem? || crédito vence?",
            "Os créditos valem por 60 meses na distribuidora, {c}.",
            "any",
        ),
        (
            "Quanto tempo dura a instalação? || a instalação demora qnts dias? || demora?",
            "A instalação leva um dia, {c}. A homologação na distribuidora leva mais umas três semanas.",
            "pre",
        ),
        (
            "Preciso estar em casa no dia? || precisa ter alguem em casa? || precisa estar em casa?",
            "Precisa ter alguém para abrir o portão e mostrar o quadro de luz, {c}.",
            "pre",
        ),
        (
            "Qual a garantia dos módulos? || e a garantia das placas? || garantia?",
            "Os módulos têm 25 anos de garantia de performance e 12 anos contra defeito de fabricação.",
            "pre",
        ),
        (
            "O sistema funciona quando falta energia? || se acabar a luz funciona? || funciona sem luz?",
            "O sistema ligado à rede desliga por segurança quando falta energia, {c}. Só com bateria ele segue funcionando.",
            "any",
        ),
        (
            "Como acompanho a geração? || tem app pra ver quanto gera? || tem app?",
            "Tem aplicativo sim, {c}. Eu configuro no seu celular no dia da instalação.",
            "any",
        ),
        (
            "A conta de luz zera? || a conta zera msm? || zera?",
            "Não zera, {c}: fica a taxa mínima da distribuidora e a iluminação pública.",
            "any",
        ),
        (
            "Precisa trocar o padrão de entrada? || vou ter q trocar o relogio? || troca o padrão?",
            "Na maioria dos casos não precisa. Se precisar, a gente avisa na visita técnica.",
            "pre",
        ),
        (
            "Vocês fazem a manutenção depois? || vcs fazem manutenção? || manutenção?",
            "Fazemos sim: limpeza das placas e revisão elétrica, quando você quiser.",
            "any",
        ),
        (
            "Aumenta o valor do imóvel? || valoriza a casa? || valoriza?",
            "Valoriza sim, {c}. Imóvel com energia solar costuma ser mais procurado.",
            "pre",
        ),
        (
            "Vento forte pode arrancar as placas? || e se ventar mto? || e o vento?",
            "Não, {c}. A estrutura é de alumínio, fixada nos caibros e dimensionada para ventos fortes.",
            "any",
        ),
    ],
    "moveis": [
        (
            "Vocês trabalham com MDF ou MDP? || é mdf ou mdp? || mdf?",
            "Só MDF 18 mm na estrutura e nas portas, {c}. Não usamos MDP.",
            "pre",
        ),
        (
            "Precisa tirar os móveis antigos antes? || tenho q tirar os moveis velhos? || tirar os antigos?",
            "Precisa sim, {c}. Se quiser, indicamos um frete para a retirada.",
            "pre",
        ),
        (
            "Vocês fazem a parte elétrica das tomadas? || vcs mudam tomada de lugar? || tomada?",
            "A elétrica é com o seu eletricista; no projeto a gente marca onde ficam as tomadas.",
            "pre",
        ),
        (
            "O projeto 3D fica comigo? || posso ficar com o 3D? || fico com o 3D?",
            "Fica sim, {c}! Mandamos as imagens em alta resolução.",
            "pre",
        ),
        (
            "Como regulo uma porta que desalinhou? || a porta desalinhou, como arrumo? || porta desalinhada?",
            "É só chamar, {c}: a regulagem dentro da garantia é gratuita.",
            "any",
        ),
        (
            "Quanto tempo leva a produção? || demora qnto pra ficar pronto? || prazo?",
            "Em média de 30 a 45 dias úteis depois da aprovação do projeto, {c}.",
            "pre",
        ),
        (
            "A montagem suja muito? || faz mta sujeira? || suja?",
            "Pouco, {c}. Os montadores levam aspirador e deixam tudo limpo no final.",
            "pre",
        ),
        (
            "Vocês trabalham com puxador cava? || tem puxador cava? || cava?",
            "Trabalhamos sim: cava, perfil de alumínio ou puxador externo, como você preferir.",
            "pre",
        ),
        (
            "Qual a garantia dos móveis? || e a garantia? || garantia?",
            "São 5 anos de garantia em estrutura e ferragens, {c}.",
            "any",
        ),
        (
            "Dá para mudar o projeto depois de aprovado? || da pra mudar dps? || muda depois?",
            "Até a liberação para a fábrica dá sim. Depois disso só com custo adicional.",
            "pre",
        ),
        (
            "As gavetas têm amortecimento? || as gavetas fecham devagarinho? || amortecedor?",
            "Todas as corrediças e dobradiças são com amortecimento, {c}.",
            "pre",
        ),
        (
            "Vocês instalam a pia e o cooktop? || vcs instalam a pia tbm? || instala pia?",
            "A montagem deixa os recortes prontos; a instalação hidráulica e do cooktop é com o seu encanador.",
            "pre",
        ),
        (
            "Precisa pagar a medição? || a medição é paga? || medição paga?",
            "Não, {c}. A medição técnica e o projeto 3D são gratuitos.",
            "pre",
        ),
        (
            "Tem LED nos nichos? || da pra por led? || led?",
            "Dá sim! A fita de LED nos nichos é opcional e fica muito bonita.",
            "any",
        ),
        (
            "Atendem fora de BH? || atende na regiao? || atende fora?",
            "Atendemos BH e região metropolitana, {c}. Em algumas cidades tem taxa de deslocamento.",
            "any",
        ),
    ],
    "clima": [
        (
            "Qual a diferença entre o LG e o Samsung? || qual melhor, lg ou samsung? || lg ou samsung?",
            "Os dois são ótimos, {c}. O Samsung WindFree resfria sem vento direto; o LG é mais econômico.",
            "pre",
        ),
        (
            "Vocês fazem a instalação elétrica? || vcs fazem a parte eletrica? || elétrica?",
            "Fazemos a ligação no ponto existente. Circuito novo é orçado à parte.",
            "pre",
        ),
        (
            "Precisa de suporte para a condensadora? || precisa de suporte? || suporte?",
            "O suporte já está incluso na instalação padrão, {c}.",
            "pre",
        ),
        (
            "O gás precisa ser recarregado? || tem q por gas todo ano? || gás?",
            "Não, {c}. Se a instalação está boa, o gás não acaba. Só com vazamento.",
            "any",
        ),
        (
            "Vocês atendem no fim de semana? || vcs atendem sabado? || sábado?",
            "Atendemos sábado até meio-dia, {c}.",
            "any",
        ),
        (
            "Quanto tempo leva a instalação? || demora pra instalar? || demora?",
            "Uma instalação padrão leva de 3 a 4 horas, {c}.",
            "pre",
        ),
        (
            "Qual a garantia? || e a garantia? || garantia?",
            "O fabricante dá 1 ano no aparelho e até 10 anos no compressor inverter; a instalação tem 1 ano conosco.",
            "any",
        ),
        (
            "De quanto em quanto tempo faço a manutenção? || qnd tenho q limpar? || manutenção quando?",
            "Filtros a cada 15 dias e higienização completa a cada 6 meses, {c}.",
            "any",
        ),
        (
            "Vocês levam o aparelho velho? || vcs tiram o antigo? || tira o velho?",
            "Levamos sim e fazemos o descarte correto, sem custo.",
            "any",
        ),
        (
            "Qual a distância máxima entre as unidades? || pode ficar longe a condensadora? || distância?",
            "A instalação padrão cobre até 3 metros de tubulação; acima disso cobramos o metro adicional.",
            "pre",
        ),
        (
            "Precisa quebrar parede? || vai quebrar parede? || quebra parede?",
            "Só um furo para passar a tubulação, {c}. Se tiver infraestrutura pronta, nem isso.",
            "pre",
        ),
        (
            "Vocês instalam em apartamento com varanda fechada? || pode instalar na varanda? || varanda?",
            "Instalamos, desde que a condensadora tenha ventilação. O técnico avalia na visita.",
            "pre",
        ),
        (
            "O aparelho é silencioso? || faz mto barulho? || barulho?",
            "Os inverters são bem silenciosos, {c}: em torno de 20 decibéis na velocidade baixa.",
            "pre",
        ),
        (
            "Aceitam cartão? || passa no cartao? || cartão?",
            "Aceitamos pix, boleto e cartão em até 10x sem juros, {c}.",
            "pre",
        ),
        (
            "Tem que ter dreno? || e a agua que pinga? || dreno?",
            "Tem sim. A água vai para um ponto de dreno ou para fora, nunca pingando na parede.",
            "pre",
        ),
    ],
}

ACKS_CLIENT = [
    "Entendi, obrigado(a). || ahh entendi, obg 😊 || ok",
    "Perfeito. || show! || blz",
    "Certo, {s}. || aaa sim sim || entendi",
]
ACKS_SELLER = ["Qualquer dúvida é só chamar!", "Imagina, {c}! 😊", "Estou à disposição."]


OPENERS = ["Oi {c}, tudo bem?", "Bom dia, {c}!", "{c}, tudo certo?", "Olá, {c}!", "Oi {c}!"]
CLOSERS = ["", " 😊", " Abraço!", " Qualquer coisa, estou por aqui.", " 🙏"]
CHECK_IN = {
    "nego": [
        "Conseguiu pensar na proposta?",
        "Se quiser, posso ajustar a forma de pagamento.",
        "Posso te ligar para tirar as dúvidas?",
        "A condição que te passei continua valendo por enquanto.",
        "Se preferir, marcamos uma conversa rápida por vídeo.",
        "Me avisa se precisar de alguma informação a mais para decidir.",
    ],
    "post": [
        "Passando para saber se está tudo certo por aí.",
        "Lembrando que pode contar com a gente para qualquer coisa.",
        "Se algum amigo precisar, é só passar meu contato.",
        "Qualquer dúvida sobre a garantia, é só me chamar.",
    ],
    "solar:post": [
        "Como está a geração este mês?",
        "Se notar qualquer queda na geração, me avise.",
        "Estamos com agenda aberta para limpeza de placas.",
    ],
    "moveis:post": [
        "Lembrando que a regulagem das portas na garantia é gratuita.",
        "Lançamos padrões novos de MDF, se quiser conhecer.",
        "Como estão os móveis no dia a dia?",
    ],
    "clima:post": [
        "Lembrete: já está na época de higienizar os aparelhos.",
        "Como estão os aparelhos neste calor?",
        "Estamos com agenda aberta para manutenção preventiva.",
    ],
}
REPLIES = {
    "nego": [
        "Ainda estou avaliando, {s}. Obrigado(a). || ainda to vendo {s} 😅 || ainda vendo",
        "Assim que decidir lhe aviso. || qnd decidir te falo! || aviso",
        "Obrigado(a), {s}. Vou conversar em casa e lhe retorno. || vou ver aqui em casa e te falo || vou ver",
    ],
    "post": [
        "Está tudo certo, {s}. Obrigado(a). || ta tudo certinho, obg {s}! 😊 || tudo certo",
        "Obrigado(a) pelo contato. || obgg! || obg",
        "Tudo bem por aqui. Qualquer coisa lhe aviso. || tudo otimo por aqui!! qq coisa te chamo || 👍",
    ],
}
